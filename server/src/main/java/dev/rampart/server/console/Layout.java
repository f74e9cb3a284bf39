package dev.rampart.server.console;

import static dev.rampart.server.console.Html.a;
import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;

import dev.rampart.server.console.Html.Safe;
import java.util.Locale;

/** The page chrome: navigation, the signed-in user, and the sign-out form. */
final class Layout {
  private Layout() {}

  static String page(String title, Sessions.Session session, Object... content) {
    Safe nav = session == null ? Safe.EMPTY : el("nav", a("/", "Overview"), " ", a("/atlas", "ATLAS"),
        session.principal().admin() ? Html.join(" ", a("/audit", "Audit log")) : null);
    Safe who = session == null ? Safe.EMPTY : el("span", attr("class", "who"), session.principal().name(), " ",
        el("form", attr("method", "post"), attr("action", "/logout"), csrfField(session),
            el("button", attr("type", "submit"), "Sign out")));
    return "<!DOCTYPE html>" + el("html", attr("lang", "en"),
        el("head", el("meta", attr("charset", "utf-8")),
            el("meta", attr("name", "viewport"), attr("content", "width=device-width, initial-scale=1")),
            el("title", title, " · Rampart"),
            el("link", attr("rel", "stylesheet"), attr("href", "/static/console.css"))),
        el("body", el("header", a("/", attr("class", "brand"), "RAMPART"), nav, who),
            el("main", content)));
  }

  static Safe csrfField(Sessions.Session session) {
    return el("input", attr("type", "hidden"), attr("name", "csrf"), attr("value", session.csrf()));
  }

  /** A POST form carrying the session's CSRF token. */
  static Safe form(Sessions.Session session, String action, Object... content) {
    return el("form", attr("method", "post"), attr("action", action), attr("class", "inline"), csrfField(session),
        content);
  }

  static Safe badge(String status) {
    String s = status == null ? "unknown" : status;
    return el("span", attr("class", "badge b-" + s.toLowerCase(Locale.ROOT).replaceAll("[^a-z_]", "")), s);
  }

  static Safe crumbs(Object... links) {
    var parts = new java.util.ArrayList<Object>();
    for (int i = 0; i < links.length; i++) {
      if (i > 0) {
        parts.add(" / ");
      }
      parts.add(links[i]);
    }
    return el("div", attr("class", "crumbs"), parts);
  }

  static Safe table(java.util.List<String> headers, java.util.List<Safe> rows) {
    return el("table", el("thead", el("tr", headers.stream().map(h -> el("th", h)).toList())),
        el("tbody", rows.isEmpty() ? el("tr", el("td", attr("colspan", headers.size()), attr("class", "muted"),
            "nothing yet")) : rows));
  }

  static Safe row(Object... cells) {
    return el("tr", java.util.Arrays.stream(cells).map(c -> el("td", c)).toList());
  }
}
