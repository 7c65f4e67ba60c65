variable "project_id" {
  description = "Project of the repository; also the default database of the compiled SQL."
  type        = string
}

variable "region" {
  description = "Region of the Dataform repository."
  type        = string
}

variable "location" {
  description = "BigQuery location the workflows run in."
  type        = string
}

variable "git_url" {
  description = "HTTPS URL of the Git repository whose git_commitish holds the Dataform project (dataform/) at its root."
  type        = string
}

variable "git_commitish" {
  description = "Branch, tag or commit compiled by the release configuration (Cloud Build publishes dataform/ as branch dataform-release)."
  type        = string
  default     = "dataform-release"
}

variable "git_token_secret_version" {
  description = "Secret Manager version holding the Git token (projects/<p>/secrets/dataform-git-token/versions/latest)."
  type        = string
}

variable "git_token_secret_id" {
  description = "The secret of that version; the Dataform service agent may read it and no other."
  type        = string
}

variable "runner_service_account_email" {
  description = "Account the workflows run as (the roles it needs on datasets and the raw bucket are granted by the caller)."
  type        = string
}

variable "runner_service_account_id" {
  description = "Full id of that account (projects/<p>/serviceAccounts/<email>)."
  type        = string
}

variable "mart_schedule" {
  description = "Cron (UTC) of the hourly mart run: after fetch and load, before score."
  type        = string
  default     = "20 * * * *"
}

variable "freshness_max_hours" {
  description = "Dataform freshness assertion: the newest staged hour at most this many hours old."
  type        = number
  default     = 6
}
