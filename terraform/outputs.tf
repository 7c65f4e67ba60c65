output "system" {
  description = "URIs, accounts and views of the deployment."
  value = {
    raw_store_url    = module.system.raw_store_url
    function_uris    = module.system.function_uris
    service_accounts = module.system.service_accounts
    looker_views     = module.system.looker_views
  }
}
