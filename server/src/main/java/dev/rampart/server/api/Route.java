package dev.rampart.server.api;

import dev.rampart.server.auth.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One REST route: method, path, its single authorization rule, and its description for the API document (operation
 * id, request and response bodies), all in the one table the server runs.
 */
public record Route(HandlerType method, String path, Permission permission, Doc doc, String summary, Handler handler) {}
