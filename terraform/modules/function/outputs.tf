output "service_account_email" {
  description = "The function's own service account."
  value       = google_service_account.this.email
}

output "uri" {
  description = "HTTPS URI of the function."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_name" {
  description = "The Cloud Run service behind the function (what roles/run.invoker is granted on)."
  value       = google_cloudfunctions2_function.this.service_config[0].service
}

output "function_name" {
  description = "Name of the deployed function."
  value       = google_cloudfunctions2_function.this.name
}
