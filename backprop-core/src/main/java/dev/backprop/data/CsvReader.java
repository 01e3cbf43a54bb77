package dev.backprop.data;

import dev.backprop.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads CSV bytes in blocks of about {@link #BLOCK} bytes, cut at record boundaries (a quoted field's line
 * breaks are not boundaries), and parses the blocks on several threads. The blocks do not depend on the number
 * of threads, and problems are reported in file order, so the table and the first problem are the same with
 * any number of threads.
 */
final class CsvReader {
  static final int BLOCK = 4 << 20;

  /** The header, the parsed chunks in file order, and the line where each chunk starts. */
  record Parts(List<String> header, int headerLine, List<CsvChunk> chunks, int[] firstLines) {
  }

  private final String source;
  private final InputStream in;
  private final int threads;
  private boolean eof;

  private CsvReader(String source, InputStream in, int threads) {
    this.source = source;
    this.in = in;
    this.threads = threads;
  }

  /**
   * Reads {@code in} to its end and parses it; {@code check} validates the header before the rows are parsed.
   *
   * @throws InvalidInputException for the first problem in the input, in file order
   */
  static Parts read(String source, InputStream in, int threads, java.util.function.Consumer<CsvChunk.Header> check) {
    return new CsvReader(source, in, Math.max(1, threads)).read(check);
  }

  private Parts read(java.util.function.Consumer<CsvChunk.Header> check) {
    byte[] buf = new byte[BLOCK];
    int len = fill(buf, 0);
    CsvChunk.Header head;
    while ((head = CsvChunk.header(buf, len, eof)) == null) {
      buf = java.util.Arrays.copyOf(buf, 2 * buf.length);
      len = fill(buf, len);
    }
    if (head.problem() != null) {
      throw problem(head.problem(), 1, List.of());
    }
    if (head.names() == null) {
      throw new InvalidInputException(source, "", "the file is empty; expected a header row naming the columns");
    }
    check.accept(head);
    List<String> names = head.names();
    int columns = names.size();
    int pos = head.end();
    ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "backprop-csv");
      t.setDaemon(true);
      return t;
    });
    List<Future<CsvChunk>> futures = new ArrayList<>();
    List<CsvChunk> done = new ArrayList<>();
    // At most two blocks per thread wait or run: the reader stays ahead without holding the whole file.
    Semaphore slots = new Semaphore(2 * threads);
    AtomicBoolean failed = new AtomicBoolean();
    // Parsed blocks come back for reuse, so that reading a large file does not leave a block of garbage a block.
    java.util.concurrent.ConcurrentLinkedQueue<byte[]> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
    try {
      while (!failed.get()) {
        int split = eof ? len : boundary(buf, pos, len);
        if (split < 0) {
          buf = java.util.Arrays.copyOf(buf, 2 * buf.length);
          len = fill(buf, len);
          continue;
        }
        if (split > pos) {
          byte[] block = buf;
          int from = pos;
          if (pool == null) {
            CsvChunk c = CsvChunk.parse(block, from, split, columns);
            free.add(block);
            done.add(c);
            failed.set(c.problem != null);
          } else {
            slots.acquireUninterruptibly();
            futures.add(pool.submit(() -> {
              try {
                CsvChunk c = CsvChunk.parse(block, from, split, columns);
                free.add(block);
                if (c.problem != null) {
                  failed.set(true);
                }
                return c;
              } finally {
                slots.release();
              }
            }));
          }
        }
        if (eof && split == len) {
          break;
        }
        byte[] next = len - split < BLOCK / 2 ? free.poll() : null;
        if (next == null || next.length != BLOCK) {
          next = new byte[Math.max(BLOCK, 2 * (len - split))];
        }
        System.arraycopy(buf, split, next, 0, len - split);
        len = fill(next, len - split);
        buf = next;
        pos = 0;
      }
      for (Future<CsvChunk> f : futures) {
        done.add(join(f));
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    int[] firstLines = new int[done.size()];
    int line = 1 + head.lines();
    for (int i = 0; i < done.size(); i++) {
      CsvChunk c = done.get(i);
      if (c.problem != null) {
        throw problem(c.problem, line, names);
      }
      firstLines[i] = line;
      line += c.lines;
    }
    return new Parts(names, 1 + head.line(), done, firstLines);
  }

  private static CsvChunk join(Future<CsvChunk> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a CSV file", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private InvalidInputException problem(CsvChunk.Problem p, int firstLine, List<String> names) {
    String place = "line " + (firstLine + p.line());
    if (p.column() >= 0) {
      place += ", column " + (p.column() + 1);
      if (p.column() < names.size()) {
        place += " (" + names.get(p.column()) + ")";
      }
    }
    return new InvalidInputException(source, place, p.message());
  }

  /** Reads into {@code buf} from {@code len} until it is full or the input ends; returns the new length. */
  private int fill(byte[] buf, int len) {
    try {
      while (len < buf.length) {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          eof = true;
          break;
        }
        len += n;
      }
      return len;
    } catch (IOException e) {
      throw new InvalidInputException(source, "", "cannot read the file: " + e.getMessage(), e);
    }
  }

  /**
   * The position after the last record that ends in {@code b[from, to)}, which starts at a record boundary, or
   * -1 if none ends there. Without quotes every line break is a boundary; with quotes the fields are followed as
   * the parser reads them (after a problem the answer no longer matters: the problem is reported first).
   */
  static int boundary(byte[] b, int from, int to) {
    int last = to - 1;
    while (last >= from && b[last] != '\n') {
      last--;
    }
    if (last < from) {
      return -1;
    }
    boolean quotes = false;
    for (int i = from; i <= last; i++) {
      if (b[i] == '"') {
        quotes = true;
        break;
      }
    }
    if (!quotes) {
      return last + 1;
    }
    final int start = 0;
    final int unquoted = 1;
    final int quoted = 2;
    final int quoteSeen = 3;
    final int closed = 4;
    int state = start;
    int boundary = -1;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      switch (state) {
        case quoted:
          if (c == '"') {
            state = quoteSeen;
          }
          break;
        case quoteSeen:
          if (c == '"') {
            state = quoted;
            break;
          }
          state = c == ' ' || c == '\t' ? closed : unquoted;
          // fall through to the separators
        default:
          if (c == ',' || c == '\r') {
            state = start;
          } else if (c == '\n') {
            state = start;
            boundary = i + 1;
          } else if (c == '"' && state == start) {
            state = quoted;
          } else if (state == start) {
            state = unquoted;
          } else if (state == closed && c != ' ' && c != '\t') {
            state = unquoted;
          }
      }
    }
    return boundary;
  }
}
