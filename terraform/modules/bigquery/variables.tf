variable "project_id" {
  description = "Project of the datasets."
  type        = string
}

variable "location" {
  description = "BigQuery location of every dataset (WAREHOUSE=bigquery://<project>?location=<this>)."
  type        = string
}

variable "schemas_dir" {
  description = "terraform/schemas: one generated file per table (npm run gen:schemas)."
  type        = string
}

variable "views_dir" {
  description = "terraform/views: the Looker Studio views' SQL."
  type        = string
}

variable "raw_uri_prefix" {
  description = "gs://<raw bucket>[/<prefix>]/raw, the external table's source."
  type        = string
}

variable "create_mart_views" {
  description = "Create the views that read the Dataform mart. BigQuery checks a view's tables when it is created: set false until the first Dataform run has built the mart."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to destroy tables (true in prod)."
  type        = bool
  default     = true
}
