// Incremental runs take in the hours loaded since a table's watermark, minus this margin: load
// stamps loaded_at before its write commits (a load runs at most 540 s), so a row committed late
// with an older stamp is still taken in. Taking an hour in twice rebuilds it to the same rows.
const LOAD_COMMIT_MARGIN_MINUTES = 15;
module.exports = { LOAD_COMMIT_MARGIN_MINUTES };
