package dev.rampart.server.api;

import dev.rampart.server.auth.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One REST route: method, path, its single authorization rule, and what it does (for the OpenAPI document). */
public record Route(HandlerType method, String path, Permission permission, String summary, Handler handler) {}
