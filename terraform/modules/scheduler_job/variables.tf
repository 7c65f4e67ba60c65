variable "project_id" {
  description = "Project of the job."
  type        = string
}

variable "region" {
  description = "Region of the job (the function's region)."
  type        = string
}

variable "name" {
  description = "Job name; its invoker account is sch-<name>."
  type        = string
}

variable "description" {
  description = "When and why the job runs."
  type        = string
}

variable "schedule" {
  description = "Cron schedule in UTC."
  type        = string
}

variable "target_uri" {
  description = "HTTPS URI of the function to call."
  type        = string
}

variable "target_service" {
  description = "The Cloud Run service behind the function; the job's account may invoke only it."
  type        = string
}

variable "attempt_deadline" {
  description = "How long one attempt may take (at most 1800s for HTTP targets)."
  type        = string
  default     = "900s"
}

variable "retry_count" {
  description = "Retries after a failed attempt (a 5xx answer or a timeout)."
  type        = number
  default     = 3
}

variable "min_backoff" {
  description = "Wait before the first retry."
  type        = string
  default     = "60s"
}

variable "max_backoff" {
  description = "Longest wait between retries."
  type        = string
  default     = "600s"
}
