/**
 * The server's domain vocabulary shared by every layer: the sealed {@link dev.rampart.server.domain.RampartException}
 * hierarchy with its stable codes. It depends on nothing else in the server and on no web framework.
 */
package dev.rampart.server.domain;
