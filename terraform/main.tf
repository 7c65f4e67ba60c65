# The one root of every environment: one project per environment, the whole system. What differs
# between environments is in envs/<env>/: terraform.tfvars (from terraform.tfvars.example) and
# backend.gcs.tfbackend (where its state lives). Run npm run build first (the bundles in
# dist/functions are the functions' sources); terraform/README.md has the commands.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0.0, < 7.0.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.0.0, < 7.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
  }
  # State in a bucket made once by hand, per environment:
  # terraform init -backend-config=envs/<env>/backend.gcs.tfbackend -backend-config="bucket=<project>-tfstate"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

module "system" {
  source                 = "./modules/system"
  project_id             = var.project_id
  region                 = var.region
  location               = var.location
  dist_dir               = "${path.root}/../dist/functions"
  dex_sources            = var.dex_sources
  slack_channel          = var.slack_channel
  serve_invokers         = var.serve_invokers
  dataform_git_url       = var.dataform_git_url
  notification_channels  = var.notification_channels
  stale_after_hours      = var.stale_after_hours
  alert_rate_band        = var.alert_rate_band
  create_mart_views      = var.create_mart_views
  deletion_protection    = var.deletion_protection
  force_destroy          = var.force_destroy
  dataform_git_commitish = var.dataform_git_commitish
  looker_readers         = var.looker_readers
}
