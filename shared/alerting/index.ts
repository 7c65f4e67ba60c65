/** The alert policy: typed rules, thresholds, episodes, mute list; pure. */
export { ALERT_TYPES, DEFAULT_POLICY, DEFAULT_SCORE_RATE, DEFAULT_SPIKE_CONFIRM_RATE, decideHour, defaultPolicy, thresholdForRate, type AlertDecision, type AlertPolicy, type AlertType, type EpisodeState, type ScoredPoolHour, type Severity } from './alert_policy';
export { ALERT_TYPE_WORDS, SEVERITIES, SEVERITY_RANK, type RuleAlertType } from './vocabulary';
export { DEFAULT_RULES, matchRules, RULE_FEATURES, type RuleInputs, type RuleMatch, type RuleThresholds } from './alert_rules';
