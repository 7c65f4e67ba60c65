variable "project_id" {
  description = "The project of this environment."
  type        = string
}

variable "region" {
  description = "Region of the functions, jobs and Dataform."
  type        = string
  default     = "us-central1"
}

variable "location" {
  description = "Location of buckets and datasets."
  type        = string
  default     = "US"
}

variable "dex_sources" {
  description = "DEX_SOURCES JSON for fetch; empty for the built-in sources."
  type        = string
  default     = ""
}

variable "slack_channel" {
  description = "Slack channel id for alerts."
  type        = string
}

variable "serve_invokers" {
  description = "Members allowed to call serve."
  type        = list(string)
  default     = []
}

variable "dataform_git_url" {
  description = "HTTPS URL of the Git repository Dataform compiles."
  type        = string
}

variable "dataform_git_commitish" {
  description = "Branch Dataform compiles (Cloud Build publishes dataform/ there)."
  type        = string
  default     = "dataform-release"
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids."
  type        = list(string)
}

variable "stale_after_hours" {
  description = "Per stage: how old the newest hour may get."
  type        = map(number)
  default = {
    fetched = 3
    loaded  = 3
    scored  = 4
  }
}

variable "alert_rate_band" {
  description = "Expected share of scored pools alerting per hour."
  type        = object({ min = number, max = number })
  default     = { min = 0.0005, max = 0.05 }
}

variable "create_mart_views" {
  description = "false for the first apply of a new project, until Dataform has built the mart once."
  type        = bool
  default     = true
}

variable "looker_readers" {
  description = "Members who build Looker Studio reports on the dex_looker views."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to destroy BigQuery tables (false in dev only)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy non-empty raw and model buckets (true in dev only)."
  type        = bool
  default     = false
}
