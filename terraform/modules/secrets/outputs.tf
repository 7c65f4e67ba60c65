output "ids" {
  description = "Secret ids (projects/<p>/secrets/<name>) by name."
  value       = { for k, v in google_secret_manager_secret.this : k => v.id }
}
