package dev.rampart.server.web;

import dev.rampart.server.auth.AuthService;
import dev.rampart.server.auth.Permission;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.auth.Role;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.registry.Registry;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one authorization rule of the API and the console: a route's single {@link Permission} against who is calling
 * (from a bearer token or a console session alike): the scope, server administration, and the role in the path's
 * project. A project the caller is no member of is reported as not found, so its existence is not disclosed.
 */
public final class Authorizer {
  private final AuthService auth;
  private final Registry registry;

  /** The caller's project and role there, as a project permission established them. */
  public record Membership(long projectId, Role role) {}

  public Authorizer(AuthService auth, Registry registry) {
    this.auth = auth;
    this.registry = registry;
  }

  /**
   * Refuses unless {@code who} holds {@code p}; {@link Permission#PUBLIC} needs no caller and is not checked here.
   *
   * @param project the project named by the request's path, asked for only when the permission names a role
   * @return the membership a project permission was granted by
   */
  public Optional<Membership> check(Principal who, Permission p, Supplier<String> project) {
    if (!p.scope().satisfiedBy(who.scopes())) {
      throw new Forbidden("the token lacks the '" + p.scope().name().toLowerCase(Locale.ROOT) + "' scope");
    }
    if (p == Permission.SERVER_ADMIN && !who.admin()) {
      throw new Forbidden("only a server administrator may do this");
    }
    if (p.role() == null) {
      return Optional.empty();
    }
    String name = project.get();
    long pid = registry.projectId(name);
    Role role = auth.role(who, pid).orElseThrow(() -> NotFound.of("project '" + name + "'"));
    if (!role.includes(p.role())) {
      throw new Forbidden("this needs the " + p.role().wire() + " role in project '" + name + "'; you are " + role.wire());
    }
    return Optional.of(new Membership(pid, role));
  }
}
