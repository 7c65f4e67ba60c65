variable "project_id" {
  description = "Project the function runs in."
  type        = string
}

variable "region" {
  description = "Region of the function."
  type        = string
}

variable "name" {
  description = "The function's folder in functions/ and its entry point (ff.http / ff.cloudEvent name)."
  type        = string
}

variable "description" {
  description = "What the function does, shown in the console."
  type        = string
}

variable "source_dir" {
  description = "The bundle npm run build wrote: dist/functions/<name> (index.js, package.json, package-lock.json)."
  type        = string
}

variable "source_bucket" {
  description = "Bucket the zipped bundle is uploaded to."
  type        = string
}

variable "build_service_account" {
  description = "Service account Cloud Build uses to build the function (projects/<p>/serviceAccounts/<email>)."
  type        = string
}

variable "environment" {
  description = "Environment variables, named as the function's env schema names them."
  type        = map(string)
}

variable "optional_environment" {
  description = "Environment variables set only when their value is not empty."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Secrets the function reads through Secret Manager: secret name => secret id. Only this function's account may access each."
  type        = map(string)
  default     = {}
}

variable "secret_environment" {
  description = "Secrets Cloud Functions reads from Secret Manager at instance start and hands to the function as environment variables: variable name => secret name (the function then needs no client library; grant access through `secrets` too)."
  type        = map(string)
  default     = {}
}

variable "concurrency" {
  description = "Requests one instance serves at once (more than 1 needs at least 1 vCPU)."
  type        = number
  default     = 1
}

variable "bucket_roles" {
  description = "Roles on buckets: key => { bucket, role }."
  type        = map(object({ bucket = string, role = string }))
  default     = {}
}

variable "dataset_roles" {
  description = "Roles on BigQuery datasets: key => { dataset, role }."
  type        = map(object({ dataset = string, role = string }))
  default     = {}
}

variable "table_roles" {
  description = "Roles on single BigQuery tables (the ones terraform creates): key => { table = its id, projects/<p>/datasets/<d>/tables/<t>, role }."
  type        = map(object({ table = string, role = string }))
  default     = {}
}

variable "project_roles" {
  description = "Project-level roles, only for permissions that exist at no narrower level (BigQuery jobs)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for r in var.project_roles : contains(["roles/bigquery.jobUser"], r)])
    error_message = "A function may hold only roles/bigquery.jobUser at project level; grant everything else on the resource."
  }
}

variable "invokers" {
  description = "Members allowed to call the function (roles/run.invoker on its service), keyed by a name known at plan time (an account's email is not). Never allUsers or allAuthenticatedUsers."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for m in values(var.invokers) : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "Functions are never public: allUsers and allAuthenticatedUsers are refused."
  }
}

variable "event_trigger" {
  description = "Pub/Sub topic that triggers the function through Eventarc, and the account Eventarc invokes it as; null for HTTP functions."
  type        = object({ pubsub_topic = string, service_account_email = string })
  default     = null
}

variable "ingress" {
  description = "ALLOW_ALL (callers still need roles/run.invoker) or ALLOW_INTERNAL_ONLY (event functions)."
  type        = string
  default     = "ALLOW_ALL"
}

variable "memory" {
  description = "Memory of one instance, e.g. 512Mi."
  type        = string
  default     = "512Mi"
}

variable "cpu" {
  description = "vCPUs of one instance."
  type        = string
  default     = "1"
}

variable "timeout_seconds" {
  description = "Request timeout (at most 3600 for HTTP, 540 for event functions)."
  type        = number
  default     = 300
}

variable "max_instances" {
  description = "Upper bound on instances: the hourly pipeline needs one."
  type        = number
  default     = 2
}
