// The brief's renderers (src/report/doc.h, render.h, figures.h): Markdown,
// self-contained HTML and A4 PDF from one document, and the map's figure.
// The PDF is read back with poppler's pdftotext and pdftoppm.
#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "alert/alert_store.h"
#include "ingest/importer.h"
#include "model/service.h"
#include "model/site_store.h"
#include "report/doc.h"
#include "report/figures.h"
#include "report/render.h"
#include "report/sitrep.h"
#include "report/sitrep_store.h"
#include "report/weekly.h"
#include "test_support.h"

namespace vigil {
namespace {

using core::Date;

Date D(const char* s) { return *Date::Parse(s); }

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A binary PPM (P6) as pdftoppm writes it.
struct Image {
  int w = 0, h = 0;
  std::vector<unsigned char> rgb;
  const unsigned char* At(int x, int y) const { return &rgb[3 * (static_cast<size_t>(y) * w + x)]; }
};

Image ReadPpm(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::string magic;
  int maxval = 0;
  Image im;
  f >> magic >> im.w >> im.h >> maxval;
  f.get();
  im.rgb.resize(3 * static_cast<size_t>(im.w) * im.h);
  f.read(reinterpret_cast<char*>(im.rgb.data()), static_cast<std::streamsize>(im.rgb.size()));
  if (magic != "P6" || !f) im = Image{};
  return im;
}

double LuminanceVariance(const Image& im, int x0, int y0, int x1, int y1) {
  double sum = 0, sq = 0, n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const unsigned char* p = im.At(x, y);
      const double l = 0.3 * p[0] + 0.59 * p[1] + 0.11 * p[2];
      sum += l, sq += l * l, n += 1;
    }
  return n > 0 ? sq / n - (sum / n) * (sum / n) : 0;
}

// ------------------------------------------------------------------ Doc

TEST(Doc, MarkdownJoinsItemsIntoOneListAndMarksBoldAndItalic) {
  report::Doc d;
  d.Title("T");
  d.Paragraph({{"when", true}, {" and "}, {"where", false, true}});
  d.Heading("H");
  d.Bullet({{"a"}});
  d.Bullet({{"b"}});
  d.Figure("map", "left out of Markdown");
  d.Paragraph({{"after"}});
  EXPECT_EQ(report::RenderMarkdown(d), "# T\n\n**when** and _where_\n\n## H\n\n- a\n- b\n\nafter\n");
}

TEST(Html, TextIsEscapedAndEachFigureKeepsItsOwnIds) {
  report::Doc d;
  d.lang = "en";
  d.Title("<script>alert(1)</script>");
  d.Paragraph({{"Tom & \"Jerry\" <img src=x onerror=alert(1)>"}});
  d.Figure("a", "first");
  d.Figure("b", "second");
  report::Figure f{100, 50, [](cairo_t* cr) {
                     cairo_rectangle(cr, 10, 10, 30, 20);
                     cairo_clip(cr);  // a clip path: an id the SVG refers to
                     cairo_paint(cr);
                   }};
  const std::string h = report::RenderHtml(d, {{"a", f}, {"b", f}}, {"<title>", "", "", D("2025-01-01")});
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_NE(h.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(h.find("Tom &amp; &quot;Jerry&quot;"), std::string::npos);
  EXPECT_NE(h.find("name=\"viewport\""), std::string::npos) << "readable on a phone";
  // Ids are unique in the page and every reference points at one of them.
  std::set<std::string> ids;
  const std::regex id_re("id=\"([^\"]+)\""), ref_re("(?:href=\"#|url\\(#)([^\")]+)");
  for (auto it = std::sregex_iterator(h.begin(), h.end(), id_re); it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  int refs = 0;
  for (auto it = std::sregex_iterator(h.begin(), h.end(), ref_re); it != std::sregex_iterator(); ++it, ++refs)
    EXPECT_TRUE(ids.count((*it)[1])) << "dangling reference " << (*it)[1];
  EXPECT_GT(refs, 1);
  for (const char* external : {"<link", "<script", "src=\"http", "@import"})
    EXPECT_EQ(h.find(external), std::string::npos) << "self-contained: " << external;
}

// ------------------------------------------------------------------ the map

geo::PolygonFeature Square(double lon0, double lat0, double size) {
  geo::PolygonFeature f;
  f.rings = {{{lon0, lat0}, {lon0 + size, lat0}, {lon0 + size, lat0 + size}, {lon0, lat0 + size}, {lon0, lat0}}};
  f.min_lon = lon0, f.min_lat = lat0, f.max_lon = lon0 + size, f.max_lat = lat0 + size;
  return f;
}

TEST(Map, ForecastClassesAreFixedAndAUnitWithoutForecastIsNotPaintedAsLowRisk) {
  EXPECT_EQ(report::ForecastClass(0.0), 0);
  EXPECT_EQ(report::ForecastClass(0.03), 0);
  EXPECT_EQ(report::ForecastClass(0.05), 1);
  EXPECT_EQ(report::ForecastClass(0.30), 3);
  EXPECT_EQ(report::ForecastClass(0.80), 5);
  EXPECT_EQ(report::ForecastClass(1.0), 5);
  const auto high = Square(0, 0, 1), none = Square(1, 0, 1);
  report::MapLayers m;
  m.min_lon = 0, m.max_lon = 2, m.min_lat = 0, m.max_lat = 1;
  m.units = {{&high, 0.8}, {&none, std::nullopt}};
  const int w = 400, h = 300;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  report::DrawMap(cr, w, h, m, {});
  cairo_surface_flush(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  auto px = [&](int x, int y) {  // BGRx in memory on little-endian
    const unsigned char* p = data + y * stride + 4 * x;
    return std::array<int, 3>{p[2], p[1], p[0]};
  };
  // The map occupies the top (height - legend); the squares side by side.
  const int map_h = h - 70, mid_y = map_h / 2;
  const auto red = px(w / 4, mid_y);
  EXPECT_GT(red[0], 150);
  EXPECT_LT(red[1], 90) << "an 80% unit is drawn in the top class";
  int grey_or_light = 0, reddish = 0;
  for (int x = w / 2 + 20; x < 3 * w / 4 + 20; ++x) {
    const auto c = px(x, mid_y);
    if (c[0] > 150 && c[1] < 90) ++reddish;
    if (std::abs(c[0] - c[2]) < 30) ++grey_or_light;
  }
  EXPECT_EQ(reddish, 0);
  EXPECT_GT(grey_or_light, 80) << "the unit without a forecast is hatched grey";
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

// ------------------------------------------------------------------ briefs

class BriefTest : public ::testing::Test {
 protected:
  void SetUp() override {
    st_ = testing::FreshStore(dir_);
    ingest::Importer importer(st_.get(), testing::Ref());
    auto r = importer.ImportFile(ingest::SourceKind::kJsonl,
                                 std::string(VIGIL_TEST_DATA_DIR) + "/events/seed_events.jsonl", {});
    ASSERT_TRUE(r.ok());
    auto p = report::LoadPhrases(std::string(VIGIL_TEST_DATA_DIR) + "/report/sitrep.tsv");
    ASSERT_TRUE(p.ok()) << p.status().message();
    phrases_ = *p;
  }
  // The Kayes brief for July–September 2025, written to a file; its path.
  std::string Write(const std::string& lang, const std::string& format, const std::string& name) {
    report::SignalRequest req;
    req.area = "Kayes";
    req.from = D("2025-07-01");
    req.to = D("2025-09-30");
    auto s = report::BuildSitrep(st_.get(), *testing::Ref(), req);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return "";
    const auto doc = report::ComposeSitrep(*s, phrases_, lang, D("2025-10-01"));
    const auto figures = report::SitrepFigures(*s, *testing::Ref(), phrases_, lang);
    const auto page = report::SitrepPage(*s, phrases_, lang, D("2025-10-01"));
    std::string body;
    if (format == "html") {
      body = report::RenderHtml(doc, figures, page);
    } else {
      auto pdf = report::RenderPdf(doc, figures, page);
      EXPECT_TRUE(pdf.ok()) << pdf.status().message();
      body = pdf.ok() ? *pdf : "";
    }
    return dir_.Write(name, body);
  }
  // pdftotext's text, lines joined by spaces (a wrapped sentence is whole again).
  static std::string PdfText(const std::string& path) {
    std::string t = Shell("pdftotext -enc UTF-8 '" + path + "' -");
    for (char& c : t)
      if (c == '\n' || c == '\f') c = ' ';
    return std::regex_replace(t, std::regex(" +"), " ");
  }
  testing::TempDir dir_;
  std::unique_ptr<store::EventStore> st_;
  report::Phrases phrases_;
};

TEST_F(BriefTest, ThePdfCarriesTheHeadlineFiguresCountedDirectlyFromTheStore) {
  store::EventFilter f;
  f.admin1 = {"Kayes"};
  f.from = D("2025-07-01");
  f.to = D("2025-09-30");
  const int64_t n = *st_->CountEvents(f);
  f.from = D("2025-04-01");  // the previous period of the same length (92 days)
  f.to = D("2025-06-30");
  const int64_t before = *st_->CountEvents(f);
  ASSERT_GT(n, 5);
  const std::string text = PdfText(Write("en", "pdf", "k.pdf"));
  ASSERT_FALSE(text.empty()) << "pdftotext read nothing";
  EXPECT_NE(text.find(std::to_string(n) + " political violence and other events recorded"), std::string::npos) << text;
  EXPECT_NE(text.find("Previous period of the same length: " + std::to_string(before) + " events"), std::string::npos);
  EXPECT_NE(text.find("without a count"), std::string::npos) << "no toll is known: not zero";
  EXPECT_NE(text.find("Diboli"), std::string::npos);
  EXPECT_NE(text.find("page 1 of"), std::string::npos);
  EXPECT_NE(text.find("blockaded"), std::string::npos) << "the corridors cut in the period";
}

TEST_F(BriefTest, EveryPageRendersAndTheMapAreaIsNotBlank) {
  const std::string pdf = Write("fr", "pdf", "k.pdf");
  Shell("pdftoppm -r 40 '" + pdf + "' '" + dir_.path() + "/page'");
  int pages = 0;
  for (int i = 1; i < 20; ++i) {
    const Image im = ReadPpm(dir_.path() + "/page-" + std::to_string(i) + ".ppm");
    if (im.w == 0) break;
    ++pages;
    EXPECT_GT(LuminanceVariance(im, 0, 0, im.w, im.h), 10.0) << "page " << i << " is blank";
    if (i != 1) continue;
    // The map is where the land of the neighbours (#e9e6df) is drawn; inside
    // its box, the cercles, roads, places and events make a varied picture.
    int x0 = im.w, y0 = im.h, x1 = 0, y1 = 0;
    for (int y = 0; y < im.h; ++y)
      for (int x = 0; x < im.w; ++x) {
        const unsigned char* p = im.At(x, y);
        if (std::abs(p[0] - 0xe9) <= 3 && std::abs(p[1] - 0xe6) <= 3 && std::abs(p[2] - 0xdf) <= 3)
          x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
      }
    ASSERT_GT(x1 - x0, im.w / 2) << "no map on the first page";
    ASSERT_GT(y1 - y0, im.h / 5);
    EXPECT_GT(LuminanceVariance(im, x0, y0, x1, y1), 100.0) << "the map area is blank";
    std::set<int> colours;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        const unsigned char* p = im.At(x, y);
        colours.insert(p[0] >> 4 << 8 | p[1] >> 4 << 4 | p[2] >> 4);
      }
    EXPECT_GT(colours.size(), 12u);
  }
  EXPECT_GE(pages, 2);
}

TEST_F(BriefTest, TheFrenchPdfKeepsNoEnglishSentenceOfTheTemplate) {
  const std::string fr = PdfText(Write("fr", "pdf", "k.pdf"));
  EXPECT_NE(fr.find("1er juillet 2025"), std::string::npos) << fr;
  // ACLED's own names may stay when French uses the same word (e.g. "Grenade").
  EXPECT_EQ(testing::EnglishRunsIn(phrases_, fr, true), std::vector<std::string>{});
}

TEST_F(BriefTest, TheSameBriefTwiceGivesTheSameBytes) {
  EXPECT_EQ(ReadFile(Write("en", "pdf", "a.pdf")), ReadFile(Write("en", "pdf", "b.pdf")));
  const std::string h1 = ReadFile(Write("fr", "html", "a.html")), h2 = ReadFile(Write("fr", "html", "b.html"));
  EXPECT_EQ(h1, h2);
  EXPECT_NE(h1.find("<svg"), std::string::npos) << "the figures are inline SVG";
  EXPECT_NE(h1.find("Rapport de situation"), std::string::npos);
}

// The momentum section in words, from the figures a snapshot gives.
TEST(Momentum, TheBriefSaysInWordsHowStronglyIncidentsComeInChains) {
  report::Phrases p = *report::LoadPhrases(std::string(VIGIL_TEST_DATA_DIR) + "/report/sitrep.tsv");
  report::Sitrep s;
  s.signals.area = {"Mopti", "admin1"};
  s.signals.from = D("2025-01-01");
  s.signals.to = D("2025-03-31");
  const std::string none = report::RenderMarkdown(s, p, "en", D("2025-04-01"));
  EXPECT_NE(none.find("No momentum figure"), std::string::npos) << none;
  s.momentum = {true, 0.72, 21, 14, false, 0, 0, 0, false};
  const std::string high = report::RenderMarkdown(s, p, "en", D("2025-04-01"));
  EXPECT_NE(high.find("0.72 direct follow-on events"), std::string::npos) << high;
  EXPECT_NE(high.find("high momentum"), std::string::npos);
  EXPECT_EQ(high.find("Caution"), std::string::npos);
  // The region's own figure decides the words, and a doubtful fit says so.
  s.momentum.area_known = true;
  s.momentum.area_offspring = 0.12;
  s.momentum.area_triggered = 0.1;
  s.momentum.area_events = 240;
  s.momentum.caution = true;
  const std::string low = report::RenderMarkdown(s, p, "fr", D("2025-04-01"));
  EXPECT_NE(low.find("dynamique faible"), std::string::npos) << low;
  EXPECT_NE(low.find("Mopti\u00a0: 0,12"), std::string::npos) << low;
  EXPECT_NE(low.find("Prudence"), std::string::npos);
}

TEST_F(BriefTest, AlertsOfTheAreaAndPeriodAreListedAndOthersAreNot) {
  auto alerts = alert::AlertStore::Open(dir_.path() + "/t.db");
  ASSERT_TRUE(alerts.ok()) << alerts.status().message();
  auto add = [&](const std::string& dedupe, double lat, double lon, const char* day, alert::AlertState state,
                 const std::string& headline) {
    alert::Alert a;
    a.identifier = "vigil.test.A-" + dedupe;
    a.rule = "cluster";
    a.kind = "report_cluster";
    a.dedupe_key = dedupe;
    a.area_id = "kayes";
    a.state = state;
    a.severity = alert::Severity::kSevere;
    a.headline_en = headline;
    a.headline_fr = "FR " + headline;
    a.description_en = a.description_fr = "-";
    a.area.circle = alert::Circle{lat, lon, 15};
    a.created_at = a.updated_at = static_cast<int64_t>(D(day).days()) * 86400 + 3600;
    auto tx = (*alerts)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->InsertAlert(a).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  };
  add("in", 14.43, -11.43, "2025-08-02", alert::AlertState::kAcknowledged, "Armed men reported near the town");
  add("elsewhere", 14.49, -4.19, "2025-08-03", alert::AlertState::kOpen, "Armed men reported in Mopti");
  add("old", 14.43, -11.43, "2025-01-05", alert::AlertState::kResolved, "An old alert, resolved");
  add("still-open", 14.43, -11.43, "2025-02-05", alert::AlertState::kOpen, "Raised before, still open");
  report::SignalRequest req;
  req.area = "Kayes";
  req.from = D("2025-07-01");
  req.to = D("2025-09-30");
  auto s = report::BuildSitrep(st_.get(), *testing::Ref(), req, {alerts->get(), nullptr});
  ASSERT_TRUE(s.ok()) << s.status().message();
  const std::string md = report::RenderMarkdown(*s, phrases_, "en", D("2025-10-01"));
  EXPECT_NE(md.find("Armed men reported near the town"), std::string::npos) << md;
  EXPECT_NE(md.find("severe, acknowledged"), std::string::npos);
  EXPECT_NE(md.find("Raised before, still open"), std::string::npos);
  EXPECT_EQ(md.find("in Mopti"), std::string::npos) << "another region's alert";
  EXPECT_EQ(md.find("An old alert"), std::string::npos) << "closed before the period";
  EXPECT_EQ(md.find("14.43"), std::string::npos) << "no coordinates in a brief";
  const std::string fr = report::RenderMarkdown(*s, phrases_, "fr", D("2025-10-01"));
  EXPECT_NE(fr.find("FR Armed men reported near the town"), std::string::npos);
  EXPECT_NE(fr.find("grave, acquittée"), std::string::npos) << fr;
  const std::string without = Write("en", "html", "n.html");
  EXPECT_NE(ReadFile(without).find("Alerts are not read for this brief"), std::string::npos);
}

TEST_F(BriefTest, TheMapShowsTheWatchedSitesOfTheAreaOnly) {
  auto sites = model::SiteStore::Open(dir_.path() + "/t.db");
  ASSERT_TRUE(sites.ok()) << sites.status().message();
  geo::Site in, out;
  in.name = "Quarry North";
  in.type = "mine";
  in.lat = 14.2, in.lon = -11.1;  // Kayes region
  out.name = "Depot East";
  out.type = "warehouse";
  out.lat = 14.5, out.lon = -4.2;  // Mopti
  ASSERT_TRUE((*sites)->Add({in, out}, false).ok());
  report::SignalRequest req;
  req.area = "Kayes";
  req.from = D("2025-07-01");
  req.to = D("2025-09-30");
  auto s = report::BuildSitrep(st_.get(), *testing::Ref(), req, {nullptr, sites->get()});
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->sites.size(), 1u);
  const auto pdf = report::RenderPdf(report::ComposeSitrep(*s, phrases_, "en", D("2025-10-01")),
                                     report::SitrepFigures(*s, *testing::Ref(), phrases_, "en"),
                                     report::SitrepPage(*s, phrases_, "en", D("2025-10-01")));
  ASSERT_TRUE(pdf.ok());
  const std::string text = PdfText(dir_.Write("s.pdf", *pdf));
  EXPECT_NE(text.find("Quarry North"), std::string::npos) << "labelled on the map";
  EXPECT_NE(text.find("Watched sites"), std::string::npos) << "in the legend";
  EXPECT_EQ(text.find("Depot East"), std::string::npos) << "another region's site";
}

// With a model fitted on the stored events: the outlook gives each cercle's
// 80 % range around its expected count and the rises over the last 30
// days, the momentum section reads the snapshot (cautiously: a thin fit),
// and the map's cercles carry forecast classes instead of "no forecast".
TEST_F(BriefTest, WithASnapshotTheOutlookGivesRangesRisesAndMomentum) {
  model::FitRequest fr;
  fr.as_of = D("2025-10-01");
  fr.window_days = 2 * 365;
  auto fit = model::Fit(st_.get(), fr);
  ASSERT_TRUE(fit.ok()) << fit.status().message();
  report::SignalRequest req;
  req.area = "Kayes";
  req.from = D("2025-07-01");
  req.to = D("2025-09-30");
  auto s = report::BuildSitrep(st_.get(), *testing::Ref(), req);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_FALSE(s->outlook.empty());
  for (const auto& o : s->outlook) {
    EXPECT_GE(o.p10, 0) << o.unit;
    EXPECT_LE(o.p10, o.p90) << o.unit;
    EXPECT_LE(o.p10, o.expected + 1e-9) << o.unit;
    EXPECT_GE(o.p90 + 1, o.expected) << o.unit;  // a count: p90 may be 0 when the mean is under 1
  }
  for (size_t i = 1; i < s->rises.size(); ++i)
    EXPECT_GE(s->rises[i - 1].expected - static_cast<double>(s->rises[i - 1].observed),
              s->rises[i].expected - static_cast<double>(s->rises[i].observed));
  EXPECT_TRUE(s->momentum.known);
  EXPECT_TRUE(s->momentum.caution) << "fitted on a few dozen events: a thin fit";
  const std::string md = report::RenderMarkdown(*s, phrases_, "en", D("2025-10-01"));
  EXPECT_NE(md.find("80% range of the count"), std::string::npos) << md;
  EXPECT_NE(md.find("branching ratio"), std::string::npos);
  EXPECT_NE(md.find("Caution"), std::string::npos);
  EXPECT_FALSE(s->cercle_p_any.empty()) << "the map shades cercles by class";
}

TEST(Weekly, TheLastWholeWeekRunsMondayToSundayBeforeToday) {
  EXPECT_EQ(report::LastWholeWeek(D("2025-07-09")), std::make_pair(D("2025-06-30"), D("2025-07-06")));  // Wednesday
  EXPECT_EQ(report::LastWholeWeek(D("2025-07-07")), std::make_pair(D("2025-06-30"), D("2025-07-06")));  // Monday
  EXPECT_EQ(report::LastWholeWeek(D("2025-07-06")), std::make_pair(D("2025-06-23"), D("2025-06-29")));  // Sunday
}

TEST_F(BriefTest, WeeklyBriefsAreWrittenOncePerRegionAndLanguageAndKept) {
  auto briefs = report::SitrepStore::Open(dir_.path() + "/t.db");
  ASSERT_TRUE(briefs.ok()) << briefs.status().message();
  const int64_t now = static_cast<int64_t>(D("2025-07-09").days()) * 86400 + 7200;
  auto first = report::WriteWeeklyBriefs(st_.get(), *testing::Ref(), phrases_, briefs->get(), now);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->from, D("2025-06-30"));
  EXPECT_GT(first->written, 0);
  EXPECT_EQ(first->written % 2, 0) << "each region in English and French";
  EXPECT_EQ(first->kept, 0);
  auto again = report::WriteWeeklyBriefs(st_.get(), *testing::Ref(), phrases_, briefs->get(), now + 3600);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->written, 0);
  EXPECT_EQ(again->kept, first->written);
  auto list = (*briefs)->List("", 1000);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(static_cast<int>(list->size()), first->written);
  for (const auto& s : *list) EXPECT_TRUE(s.markdown.empty() && s.pdf.empty()) << "a list carries no bodies";
  auto kayes = (*briefs)->List("Kayes", 10);
  ASSERT_TRUE(kayes.ok());
  ASSERT_EQ(kayes->size(), 2u);
  auto full = (*briefs)->Get((*kayes)[0].id);
  ASSERT_TRUE(full.ok() && *full);
  EXPECT_EQ((*full)->pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE((*full)->html.find("<svg"), std::string::npos);
  EXPECT_NE((*full)->markdown.find("JNIM"), std::string::npos) << "the week of the 1 July wave";
  EXPECT_EQ((*full)->generated_at, now);
}

}  // namespace
}  // namespace vigil
