variable "project_id" {
  description = "Project of the secrets."
  type        = string
}

variable "names" {
  description = "Secret names (values are added out of band: gcloud secrets versions add <name> --data-file=-)."
  type        = set(string)
}
