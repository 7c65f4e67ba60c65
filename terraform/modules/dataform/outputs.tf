output "repository" {
  description = "The Dataform repository name."
  value       = google_dataform_repository.this.name
}

output "workflow_config" {
  description = "The hourly workflow configuration."
  value       = google_dataform_repository_workflow_config.mart.id
}
