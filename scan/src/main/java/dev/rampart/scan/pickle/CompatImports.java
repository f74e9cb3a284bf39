package dev.rampart.scan.pickle;

import java.util.Map;

/**
 * The Python 2 name mapping CPython's unpickler applies to protocol 0-2 streams ({@code fix_imports}), so that
 * {@code __builtin__.eval} is judged as the {@code builtins.eval} it loads.
 */
final class CompatImports {
  private CompatImports() {}

  private static final Map<String, String> MODULES =
      Map.ofEntries(
          Map.entry("__builtin__", "builtins"),
          Map.entry("copy_reg", "copyreg"),
          Map.entry("Queue", "queue"),
          Map.entry("SocketServer", "socketserver"),
          Map.entry("ConfigParser", "configparser"),
          Map.entry("repr", "reprlib"),
          Map.entry("tkFileDialog", "tkinter.filedialog"),
          Map.entry("FileDialog", "tkinter.filedialog"),
          Map.entry("Tkinter", "tkinter"),
          Map.entry("xmlrpclib", "xmlrpc.client"),
          Map.entry("SimpleXMLRPCServer", "xmlrpc.server"),
          Map.entry("httplib", "http.client"),
          Map.entry("htmlentitydefs", "html.entities"),
          Map.entry("HTMLParser", "html.parser"),
          Map.entry("Cookie", "http.cookies"),
          Map.entry("cookielib", "http.cookiejar"),
          Map.entry("BaseHTTPServer", "http.server"),
          Map.entry("SimpleHTTPServer", "http.server"),
          Map.entry("CGIHTTPServer", "http.server"),
          Map.entry("test.test_support", "test.support"),
          Map.entry("commands", "subprocess"),
          Map.entry("urlparse", "urllib.parse"),
          Map.entry("robotparser", "urllib.robotparser"),
          Map.entry("urllib2", "urllib.request"),
          Map.entry("anydbm", "dbm"),
          Map.entry("_abcoll", "collections.abc"),
          Map.entry("cPickle", "pickle"),
          Map.entry("cStringIO", "io"),
          Map.entry("StringIO", "io"),
          Map.entry("thread", "_thread"),
          Map.entry("dummy_thread", "_dummy_thread"),
          Map.entry("UserDict", "collections"),
          Map.entry("UserList", "collections"),
          Map.entry("UserString", "collections"),
          Map.entry("whichdb", "dbm"),
          Map.entry("dbhash", "dbm.bsd"),
          Map.entry("dumbdbm", "dbm.dumb"),
          Map.entry("gdbm", "dbm.gnu"),
          Map.entry("exceptions", "builtins"),
          Map.entry("sets", "builtins"),
          Map.entry("markupbase", "_markupbase"),
          Map.entry("_winreg", "winreg"),
          Map.entry("__main__", "__main__"));

  private static final Map<String, String[]> NAMES =
      Map.ofEntries(
          Map.entry("__builtin__.xrange", new String[] {"builtins", "range"}),
          Map.entry("__builtin__.reduce", new String[] {"functools", "reduce"}),
          Map.entry("__builtin__.intern", new String[] {"sys", "intern"}),
          Map.entry("__builtin__.unichr", new String[] {"builtins", "chr"}),
          Map.entry("__builtin__.unicode", new String[] {"builtins", "str"}),
          Map.entry("__builtin__.long", new String[] {"builtins", "int"}),
          Map.entry("itertools.izip", new String[] {"builtins", "zip"}),
          Map.entry("itertools.imap", new String[] {"builtins", "map"}),
          Map.entry("itertools.ifilter", new String[] {"builtins", "filter"}),
          Map.entry("itertools.ifilterfalse", new String[] {"itertools", "filterfalse"}),
          Map.entry("itertools.izip_longest", new String[] {"itertools", "zip_longest"}),
          Map.entry("UserDict.IterableUserDict", new String[] {"collections", "UserDict"}),
          Map.entry("_socket.fromfd", new String[] {"socket", "fromfd"}),
          Map.entry("urllib.urlopen", new String[] {"urllib.request", "urlopen"}),
          Map.entry("urllib.urlretrieve", new String[] {"urllib.request", "urlretrieve"}),
          Map.entry("urllib.urlcleanup", new String[] {"urllib.request", "urlcleanup"}),
          Map.entry("urllib.getproxies", new String[] {"urllib.request", "getproxies"}),
          Map.entry("urllib.pathname2url", new String[] {"urllib.request", "pathname2url"}),
          Map.entry("urllib.url2pathname", new String[] {"urllib.request", "url2pathname"}),
          Map.entry("urllib.quote", new String[] {"urllib.parse", "quote"}),
          Map.entry("urllib.quote_plus", new String[] {"urllib.parse", "quote_plus"}),
          Map.entry("urllib.unquote", new String[] {"urllib.parse", "unquote"}),
          Map.entry("urllib.unquote_plus", new String[] {"urllib.parse", "unquote_plus"}),
          Map.entry("urllib.urlencode", new String[] {"urllib.parse", "urlencode"}),
          Map.entry("multiprocessing.forking.Popen", new String[] {"multiprocessing.popen_fork", "Popen"}),
          Map.entry("multiprocessing.process.Process", new String[] {"multiprocessing.context", "Process"}),
          Map.entry("_multiprocessing.Connection", new String[] {"multiprocessing.connection", "Connection"}));

  static String[] map(String module, String name) {
    var byName = NAMES.get(module + "." + name);
    if (byName != null) {
      return byName.clone();
    }
    return new String[] {MODULES.getOrDefault(module, module), name};
  }
}
