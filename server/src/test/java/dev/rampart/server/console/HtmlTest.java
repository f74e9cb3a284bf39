package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textAndAttributesAreEscapedAndOnlyBuiltMarkupGoesInRaw() {
    String hostile = "\"><script>alert('x')</script>&";
    var html = el("a", attr("href", hostile), attr("title", null), hostile, el("b", "ok"), List.of("<i>", 3)).html();
    assertThat(html).isEqualTo("<a href=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">"
        + "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;<b>ok</b>&lt;i&gt;3</a>");
    assertThat(el("p", "bell\u0007 and\r\nlines").html()).isEqualTo("<p>bell\uFFFD and\r\nlines</p>");
    assertThat(el("input", attr("value", "v")).html()).isEqualTo("<input value=\"v\">");
  }

  @Test
  void pathSegmentsCannotLeaveTheirSegment() {
    assertThat(Html.path("projects", "a/../b", "models", "x y?z#w")).isEqualTo("/projects/a%2F..%2Fb/models/x%20y%3Fz%23w");
  }

  @Test
  void onlyLocalPathsMayFollowSignIn() {
    assertThat(OverviewPages.safeNext("/projects/p")).isEqualTo("/projects/p");
    assertThat(OverviewPages.safeNext("/projects/p/models?page=2&q=a%2Bb")).isEqualTo("/projects/p/models?page=2&q=a%2Bb");
    for (String bad : new String[] {"//evil.example", "https://evil.example", "/\\evil.example", "javascript:x", null,
        "/ok\r\nSet-Cookie: x=y", "/\t/evil.example", "/%09/evil.example", "/%2F/evil.example", "/%2f%2fevil.example",
        "/%5Cevil.example", "/\u0000/x", "/%00/x", "/%0a/evil.example", "/ /evil.example", "/%E0%A4%A/x"}) {
      assertThat(OverviewPages.safeNext(bad)).as(String.valueOf(bad)).isEqualTo("/");
    }
  }
}
