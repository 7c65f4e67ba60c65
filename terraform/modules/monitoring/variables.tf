variable "project_id" {
  description = "Project whose logs are watched."
  type        = string
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>) every policy notifies."
  type        = list(string)
}

variable "failures_per_hour" {
  description = "A function is failing repeatedly when it logs more failures than this within an hour."
  type        = number
  default     = 2
}

variable "stale_after_hours" {
  description = "Per stage: the newest fetched, loaded or scored hour of a source may be at most this many hours old."
  type        = map(number)
  default = {
    fetched = 3
    loaded  = 3
    scored  = 4
  }
}

variable "alert_rate_band" {
  description = "Expected share of scored pools that alert in an hour; outside it for long, something is off."
  type        = object({ min = number, max = number })
  default     = { min = 0.0005, max = 0.05 }
}
