output "raw_store_url" {
  description = "DATA_STORE_URL of fetch and load."
  value       = module.storage.raw_store_url
}

output "function_uris" {
  description = "HTTPS URI of each function (all require an identity token)."
  value = {
    fetch = module.fn_fetch.uri
    load  = module.fn_load.uri
    train = module.fn_train.uri
    score = module.fn_score.uri
    serve = module.fn_serve.uri
  }
}

output "service_accounts" {
  description = "Each function's own account."
  value = {
    fetch = module.fn_fetch.service_account_email
    load  = module.fn_load.service_account_email
    train = module.fn_train.service_account_email
    score = module.fn_score.service_account_email
    serve = module.fn_serve.service_account_email
  }
}

output "looker_views" {
  description = "Views in dex_looker for Looker Studio."
  value       = module.bigquery.views
}
