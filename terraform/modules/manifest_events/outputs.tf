output "topic" {
  description = "The topic manifests are published to."
  value       = google_pubsub_topic.manifests.id
}

output "trigger_service_account_email" {
  description = "The account Eventarc invokes load as."
  value       = google_service_account.trigger.email
}
