package dev.rampart.data;

import dev.rampart.data.io.*;
import dev.rampart.data.poison.*;
import java.nio.file.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class Explore {
  @Test
  void run() throws Exception {
    Path dir = Path.of("src/test/resources/datasets");
    var files = new ArrayList<Path>();
    try (var s = Files.list(dir.resolve("clean"))) { s.sorted().forEach(files::add); }
    try (var s = Files.list(dir.resolve("poisoned"))) { s.filter(p -> p.toString().endsWith(".gz")).sorted().forEach(files::add); }
    for (Path f : files) {
      long t0 = System.nanoTime();
      Dataset d = new DatasetReader(ReadLimits.defaults()).read(f);
      var r = DatasetCheck.run(d, DatasetCheck.Options.forLabel("label"));
      Set<Integer> truth = new HashSet<>();
      Path tf = Path.of(f.toString().replace(".csv.gz", ".truth"));
      if (Files.exists(tf)) for (String l : Files.readAllLines(tf)) truth.add(Integer.parseInt(l.trim()));
      StringBuilder sb = new StringBuilder();
      for (Signal sig : Signal.values()) {
        int n = 0, tp = 0;
        for (var s : r.suspects()) if (s.reasons().stream().anyMatch(x -> x.signal() == sig)) { n++; if (truth.contains(s.row())) tp++; }
        if (n > 0) sb.append(String.format(" %s:%d/%d", sig.id(), tp, n));
      }
      int tp = 0; for (var s : r.suspects()) if (truth.contains(s.row())) tp++;
      System.out.printf("%-42s %-10s all=%d/%d truth=%d%s  [%s] %.0fms%n", f.getFileName(), r.verdict(), tp, r.suspects().size(), truth.size(), sb,
          r.assessments().stream().filter(a -> true).map(a -> a.severity() + " " + a.summary().substring(0, Math.min(110, a.summary().length()))).reduce((a,b)->a+" | "+b).orElse(""), (System.nanoTime()-t0)/1e6);
    }
  }
}
