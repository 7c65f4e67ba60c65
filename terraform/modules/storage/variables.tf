variable "project_id" {
  description = "Project of the buckets."
  type        = string
}

variable "location" {
  description = "Bucket location; the same as BigQuery's, so the external table reads raw/ without egress."
  type        = string
}

variable "store_prefix" {
  description = "Prefix of the store inside the raw bucket (DATA_STORE_URL = gs://<raw bucket>/<prefix>); empty for the bucket root."
  type        = string
  default     = ""
}

variable "quarantine_retention_days" {
  description = "Days quarantined rows are kept for inspection."
  type        = number
  default     = 90
}

variable "raw_retention_days" {
  description = "Days raw hours are kept; the mart is rebuilt from them, so keep at least the training window."
  type        = number
  default     = 730
}

variable "model_versions_kept" {
  description = "Noncurrent versions of each model object kept (rollback after a bad training run)."
  type        = number
  default     = 20
}

variable "force_destroy" {
  description = "Let terraform destroy buckets that still hold objects (dev only)."
  type        = bool
  default     = false
}
