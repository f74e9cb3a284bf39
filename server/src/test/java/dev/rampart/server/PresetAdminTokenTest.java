package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.server.auth.Principal;
import dev.rampart.server.auth.Tokens;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment's administrator token given by its SHA-256: adopted on a fresh database only, never printed. */
class PresetAdminTokenTest {
  @TempDir Path tmp;

  @Test
  void theTokenWhoseHashWasGivenIsTheAdministratorsAndNoOtherIsPrinted() throws Exception {
    String token = Tokens.generate(Principal.Kind.USER);
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2();
    try (var server = RampartServer.start(config, RampartServer.Startup.defaults().withAdminTokenSha256(Tokens.hash(token)))) {
      assertThat(server.bootstrapToken()).isEmpty();
      var me = new Http(server.port()).get("/api/v1/me", token);
      assertThat(me.status()).as(me.body()).isEqualTo(200);
      assertThat(me.json().get("admin").asBoolean()).isTrue();
      var audit = new Http(server.port()).get("/api/v1/audit/entries?from=0", token);
      assertThat(audit.body()).contains("principal.bootstrapped").doesNotContain(token);
    }
    // a second start with another hash changes nothing: the database already has its administrator
    String other = Tokens.generate(Principal.Kind.USER);
    try (var server = RampartServer.start(config, RampartServer.Startup.defaults().withAdminTokenSha256(Tokens.hash(other)))) {
      var http = new Http(server.port());
      assertThat(http.get("/api/v1/me", token).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/me", other).status()).isEqualTo(401);
    }
  }

  @Test
  void aHashThatIsNotSha256HexIsRefusedBeforeStarting() {
    assertThatThrownBy(() -> RampartServer.Startup.defaults().withAdminTokenSha256("rmpu_the-token-itself"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256sum");
    assertThatThrownBy(() -> RampartServer.Startup.defaults().withAdminTokenSha256("A".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
