// Dashboard strings in English and French. Keys are used by data-i18n
// attributes in index.html and by t() in app.js.
window.VIGIL_I18N = {
  en: {
    subtitle: "Sahel conflict monitor", signout: "Sign out", signin_title: "Sign in", username: "User name",
    password: "Password", signin: "Sign in", from: "From", to: "To", type: "Event type", all_types: "All types",
    t_battles: "Battles", t_explosions: "Explosions/Remote violence", t_vac: "Violence against civilians",
    t_protests: "Protests", t_riots: "Riots", t_strategic: "Strategic developments", actor: "Actor",
    region: "Region", all_regions: "All regions", forecast_layer: "Forecast", fc_off: "Off", fc_admin1: "Regions",
    fc_admin2: "Cercles", fc_cell: "PRIO-GRID cells", reset: "Reset", events_shown: "events",
    fatalities: "fatalities", last90: "Events, last 90 days", prev90: "Previous 90 days", trend: "Trend",
    top_places: "Highest-risk places", timeline: "Weekly events and fatalities", date: "Date",
    actors: "Actors", location: "Place", sources: "Sources", loading: "loading…", no_forecast:
    "No forecast yet: fit a model with 'vigil fit' (events are shown meanwhile).", forecast_asof: "Forecast from",
    expected: "expected events", p_any: "P(at least one)", days: "days", truncated: "Showing the latest {n} events; narrow the filters to see all.",
    up: "rising", down: "falling", flat: "stable", events_word: "events", bad_login: "Wrong user name or password.",
    signed_in_as: "Signed in as", anonymous: "Public view", week: "week", source_row: "row", none: "none",
    unknown_place: "(unknown place)", load_error: "Could not load data: "
    , tab_map: "Map", tab_alerts: "Alerts", tab_report: "Report", report_title: "Report what you saw",
    report_text: "What did you see? When? How many?", report_place: "Place (village, town)",
    report_contact: "Your phone (optional, kept secret)", report_send: "Send",
    queue_waiting: "{n} report(s) waiting to be sent (they go as soon as the connection returns)",
    report_refused: "The server refused the report:", report_received: "Received, reference {ref}. Thank you.",
    report_sending: "Sending…", report_offline: "No connection: the report is kept here and will be sent.",
    inbox_title: "Alerts to act on", history_title: "Alert history", reports_layer: "Community reports",
    rp_30: "Last 30 days", tier: "tier", next_escalation: "escalates", last_tier: "last tier",
    acked_by: "acknowledged by", disp_no_impact: "No impact", disp_some_impact: "Some impact",
    disp_significant_impact: "Significant impact", disp_duplicate: "Duplicate", disp_false_positive: "False alarm",
    ack_note: "What you found or did", acknowledge: "Acknowledge", audit_trail: "Audit trail", now: "Now",
    inbox_empty: "Nothing to act on.", no_alerts_config: "Early warning is not configured on this server.",
    sev_extreme: "Extreme", sev_severe: "Severe", sev_moderate: "Moderate", sev_minor: "Minor", sev_unknown: "Unknown",
    state_received: "received", state_triaged: "triaged", state_verified: "verified", state_dismissed: "dismissed",
    state_duplicate: "duplicate", reports_word: "reports", choose_disposition: "What impact?"
  },
  fr: {
    subtitle: "Veille des conflits au Sahel", signout: "Se déconnecter", signin_title: "Connexion",
    username: "Nom d'utilisateur", password: "Mot de passe", signin: "Se connecter", from: "Du", to: "Au",
    type: "Type d'événement", all_types: "Tous les types", t_battles: "Combats",
    t_explosions: "Explosions/Violence à distance", t_vac: "Violence contre les civils", t_protests: "Manifestations",
    t_riots: "Émeutes", t_strategic: "Développements stratégiques", actor: "Acteur", region: "Région",
    all_regions: "Toutes les régions", forecast_layer: "Prévision", fc_off: "Aucune", fc_admin1: "Régions",
    fc_admin2: "Cercles", fc_cell: "Mailles PRIO-GRID", reset: "Réinitialiser", events_shown: "événements",
    fatalities: "morts", last90: "Événements, 90 derniers jours", prev90: "90 jours précédents", trend: "Tendance",
    top_places: "Lieux les plus exposés", timeline: "Événements et morts par semaine", date: "Date",
    actors: "Acteurs", location: "Lieu", sources: "Sources", loading: "chargement…", no_forecast:
    "Pas encore de prévision : ajustez un modèle avec « vigil fit » (les événements restent affichés).",
    forecast_asof: "Prévision au", expected: "événements attendus", p_any: "P(au moins un)", days: "jours",
    truncated: "Affichage des {n} derniers événements ; affinez les filtres pour tout voir.", up: "en hausse",
    down: "en baisse", flat: "stable", events_word: "événements", bad_login: "Nom d'utilisateur ou mot de passe incorrect.",
    signed_in_as: "Connecté :", anonymous: "Accès public", week: "semaine", source_row: "ligne", none: "aucun",
    unknown_place: "(lieu inconnu)", load_error: "Échec du chargement : "
    , tab_map: "Carte", tab_alerts: "Alertes", tab_report: "Signaler", report_title: "Signalez ce que vous avez vu",
    report_text: "Qu'avez-vous vu ? Quand ? Combien ?", report_place: "Lieu (village, ville)",
    report_contact: "Votre téléphone (facultatif, gardé secret)", report_send: "Envoyer",
    queue_waiting: "{n} signalement(s) en attente d'envoi (ils partent dès le retour de la connexion)",
    report_refused: "Le serveur a refusé le signalement :", report_received: "Reçu, référence {ref}. Merci.",
    report_sending: "Envoi…", report_offline: "Pas de connexion : le signalement est gardé ici et sera envoyé.",
    inbox_title: "Alertes à traiter", history_title: "Historique des alertes", reports_layer: "Signalements",
    rp_30: "30 derniers jours", tier: "échelon", next_escalation: "transmise", last_tier: "dernier échelon",
    acked_by: "reçue par", disp_no_impact: "Sans impact", disp_some_impact: "Impact limité",
    disp_significant_impact: "Impact important", disp_duplicate: "Doublon", disp_false_positive: "Fausse alerte",
    ack_note: "Ce que vous avez constaté ou fait", acknowledge: "Accuser réception", audit_trail: "Journal d'audit",
    now: "Maintenant", inbox_empty: "Rien à traiter.", no_alerts_config: "L'alerte précoce n'est pas configurée sur ce serveur.",
    sev_extreme: "Extrême", sev_severe: "Grave", sev_moderate: "Modérée", sev_minor: "Mineure", sev_unknown: "Inconnue",
    state_received: "reçu", state_triaged: "trié", state_verified: "vérifié", state_dismissed: "écarté",
    state_duplicate: "doublon", reports_word: "signalements", choose_disposition: "Quel impact ?"
  }
};
