variable "project_id" {
  description = "The project everything is deployed to (one project per environment)."
  type        = string
}

variable "region" {
  description = "Region of the functions, scheduler jobs and Dataform repository."
  type        = string
  default     = "us-central1"
}

variable "location" {
  description = "Location of the buckets and BigQuery datasets (US, EU or a region)."
  type        = string
  default     = "US"
}

variable "dist_dir" {
  description = "Where npm run build wrote the bundles: <repo>/dist/functions."
  type        = string
}

variable "store_prefix" {
  description = "Prefix of the store inside the raw bucket; empty for the bucket root."
  type        = string
  default     = ""
}

variable "dex_sources" {
  description = "DEX_SOURCES of fetch as JSON (shared/config/sources.ts); empty for the built-in Uniswap V3 and SushiSwap sources."
  type        = string
  default     = ""
}

variable "slack_channel" {
  description = "Slack channel id score posts alerts to (SLACK_CHANNEL)."
  type        = string
}

variable "serve_invokers" {
  description = "Members allowed to call serve (e.g. serviceAccount:dashboard@<p>.iam.gserviceaccount.com). serve is never public."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for m in var.serve_invokers : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "serve is never public: allUsers and allAuthenticatedUsers are refused."
  }
}

variable "dataform_git_url" {
  description = "HTTPS URL of this Git repository, which Dataform compiles the dataform-release branch of."
  type        = string
}

variable "dataform_git_commitish" {
  description = "What the Dataform release configuration compiles."
  type        = string
  default     = "dataform-release"
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids every alert policy notifies."
  type        = list(string)
}

variable "failures_per_hour" {
  description = "Failed invocations of one function per hour above which it counts as failing repeatedly."
  type        = number
  default     = 2
}

variable "stale_after_hours" {
  description = "Per stage (fetched, loaded, scored): how old the newest hour of a source may get."
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
  description = "Create the Looker views over the Dataform mart (false until Dataform has run once)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to destroy BigQuery tables."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy non-empty raw and model buckets (dev only)."
  type        = bool
  default     = false
}

variable "looker_readers" {
  description = "Members who build Looker Studio reports: they read dex_looker's views and the tables behind them, and run query jobs."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for m in var.looker_readers : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "The views are not public: allUsers and allAuthenticatedUsers are refused."
  }
}
