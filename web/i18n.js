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
  }
};
