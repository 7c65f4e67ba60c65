# The Dataform repository (google-beta), a release configuration compiling the project hourly and
# a workflow configuration running staging, the mart and the assertions hourly as a dedicated account.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  dataform_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-dataform.iam.gserviceaccount.com"
}

resource "google_dataform_repository" "this" {
  provider        = google-beta
  project         = var.project_id
  region          = var.region
  name            = "dex-anomaly"
  display_name    = "dex-anomaly staging and feature mart"
  service_account = var.runner_service_account_email

  git_remote_settings {
    url                                 = var.git_url
    default_branch                      = var.git_commitish
    authentication_token_secret_version = var.git_token_secret_version
  }

  workspace_compilation_overrides {
    default_database = var.project_id
  }
}

# The Dataform service agent reads the Git token and acts as the runner account; nothing else.
resource "google_secret_manager_secret_iam_member" "agent_reads_git_token" {
  project   = var.project_id
  secret_id = var.git_token_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.dataform_agent
}

resource "google_service_account_iam_member" "agent_acts_as_runner" {
  service_account_id = var.runner_service_account_id
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.dataform_agent
}

resource "google_dataform_repository_release_config" "hourly" {
  provider      = google-beta
  project       = var.project_id
  region        = var.region
  repository    = google_dataform_repository.this.name
  name          = "hourly"
  git_commitish = var.git_commitish
  cron_schedule = "5 * * * *"
  time_zone     = "Etc/UTC"

  code_compilation_config {
    default_database = var.project_id
    default_schema   = "dex_anomaly"
    assertion_schema = "dex_anomaly_assertions"
    default_location = var.location
    vars = {
      freshness_max_hours = tostring(var.freshness_max_hours)
      freshness_reference = ""
    }
  }
}

resource "google_dataform_repository_workflow_config" "mart" {
  provider       = google-beta
  project        = var.project_id
  region         = var.region
  repository     = google_dataform_repository.this.name
  name           = "hourly-mart"
  release_config = google_dataform_repository_release_config.hourly.id
  cron_schedule  = var.mart_schedule
  time_zone      = "Etc/UTC"

  # Staging and the mart are incremental: each hourly run rebuilds only the hours loaded since the
  # last one. A full refresh is an on-demand run (console or API, "full refresh"), never scheduled.
  invocation_config {
    transitive_dependencies_included         = true
    fully_refresh_incremental_tables_enabled = false
    service_account                          = var.runner_service_account_email
  }

  depends_on = [google_service_account_iam_member.agent_acts_as_runner]
}
