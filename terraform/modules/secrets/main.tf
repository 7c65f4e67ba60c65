# The secrets, without values: terraform state never holds a key or a token. Access is granted
# per secret to the one account that reads it (modules/function), never project-wide.

resource "google_secret_manager_secret" "this" {
  for_each  = var.names
  project   = var.project_id
  secret_id = each.value

  replication {
    auto {}
  }
}
