# A Cloud Scheduler job calling one function with an OIDC token of an account that may invoke
# that function and nothing else.

resource "google_service_account" "invoker" {
  project      = var.project_id
  account_id   = "sch-${var.name}"
  display_name = "Cloud Scheduler job ${var.name}"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  project  = var.project_id
  location = var.region
  name     = var.target_service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.invoker.email}"
}

resource "google_cloud_scheduler_job" "this" {
  project          = var.project_id
  region           = var.region
  name             = var.name
  description      = var.description
  schedule         = var.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = var.attempt_deadline

  retry_config {
    retry_count          = var.retry_count
    min_backoff_duration = var.min_backoff
    max_backoff_duration = var.max_backoff
    max_doublings        = 3
  }

  http_target {
    http_method = "POST"
    uri         = var.target_uri
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode("{}")
    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = var.target_uri
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.invoker]
}
