variable "project_id" {
  description = "Project of the topic."
  type        = string
}

variable "bucket" {
  description = "The raw bucket."
  type        = string
}

variable "object_name_prefix" {
  description = "Only objects whose names start with this publish: <store prefix>/manifests/."
  type        = string
}
