package dev.rampart.server.auth;


/**
 * The authorization rule of a route. Every route declares exactly one; a route without one is refused (deny by
 * default), and a test enumerates the routes to prove it.
 */
public enum Permission {
  /** No token needed: health and the API description only. */
  PUBLIC(null, Scope.READ),
  /** Any valid token. */
  AUTHENTICATED(null, Scope.READ),
  /** A server administrator. */
  SERVER_ADMIN(null, Scope.ADMIN),
  PROJECT_VIEW(Role.VIEWER, Scope.READ),
  PROJECT_CONTRIBUTE(Role.CONTRIBUTOR, Scope.WRITE),
  PROJECT_APPROVE(Role.APPROVER, Scope.WRITE),
  PROJECT_ADMIN(Role.ADMIN, Scope.ADMIN),
  /** A serving system asking whether it may load a digest: any project member with the admission scope. */
  ADMISSION(Role.VIEWER, Scope.ADMISSION),
  /**
   * A serving system reporting inference events. Events can raise alerts and, under a rollback policy, roll an
   * environment back, so a viewer may not send them: the sender needs the contributor role.
   */
  TELEMETRY(Role.CONTRIBUTOR, Scope.TELEMETRY);

  private final Role role;
  private final Scope scope;

  Permission(Role role, Scope scope) {
    this.role = role;
    this.scope = scope;
  }

  /** The project role needed, or null for routes that are not project-scoped. */
  public Role role() {
    return role;
  }

  public Scope scope() {
    return scope;
  }
}
