output "job_name" {
  description = "Name of the Cloud Scheduler job."
  value       = google_cloud_scheduler_job.this.name
}

output "invoker_email" {
  description = "The account the job calls the function as."
  value       = google_service_account.invoker.email
}
