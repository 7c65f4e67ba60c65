output "raw_bucket" {
  description = "Name of the raw bucket."
  value       = google_storage_bucket.raw.name
}

output "models_bucket" {
  description = "Name of the models bucket."
  value       = google_storage_bucket.models.name
}

output "sources_bucket" {
  description = "Name of the function sources bucket."
  value       = google_storage_bucket.sources.name
}

output "raw_store_url" {
  description = "DATA_STORE_URL of fetch and load."
  value       = "gs://${google_storage_bucket.raw.name}${var.store_prefix == "" ? "" : "/${trimsuffix(var.store_prefix, "/")}"}"
}

output "manifest_prefix" {
  description = "Object-name prefix of the manifests (what load is triggered by)."
  value       = "${local.prefix}manifests/"
}
