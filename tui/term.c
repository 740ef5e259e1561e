#include "tui/term.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/keymap.h"
#include "tui/sanitize.h"
#include "tui/wrap.h"

static struct {
    FILE *script, *devnull;
    char typed[600]; /* "type" text not yet returned as keys */
    size_t typed_at;
    int started, accessible, ascii, color;
    unsigned sflags;
    attr_t attr[THEME_COUNT];
    short pair[THEME_COUNT];
    int cy, cx;
    int spurious; /* failed reads in a row with the terminal still there */
    int timeout;  /* a wait with a time limit is under way */
} T;

static volatile sig_atomic_t quit_signal; /* 1 TERM, 2 HUP */
static volatile sig_atomic_t interrupted; /* Ctrl-C: a key, not a way out */
static volatile sig_atomic_t in_curses;

/* ---- signals ---------------------------------------------------------- */

static void on_fatal(int sig)
{
    /* Leave the terminal usable, then die of the same signal so that core
     * dumps, sanitizers and the parent see what happened. */
    if (in_curses && quit_signal != 2)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_quit(int sig)
{
    quit_signal = sig == SIGHUP ? 2 : 1;
}

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void install_signals(void)
{
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                SIGQUIT};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        catch(fatal[i], on_fatal, SA_RESETHAND);
    /* No SA_RESTART: the wait for a key returns, and the loop leaves
     * through its normal path, saving the selection.  SIGTSTP and
     * SIGWINCH are left to curses, which suspends, resumes and reports
     * KEY_RESIZE cleanly. */
    /* Ctrl-C comes back as a key (TERM_KEY_INTERRUPT) and is handled as
     * q: leaving a review with unsaved work asks first. */
    catch(SIGINT, on_interrupt, 0);
    catch(SIGTERM, on_quit, 0);
    catch(SIGHUP, on_quit, 0);
    catch(SIGPIPE, SIG_IGN, 0);
}

int term_quit_requested(void)
{
    return quit_signal;
}

void term_exit_by_signal(void)
{
    /* SIGTERM: the work is saved and the terminal restored by now; die of
     * the signal so that the parent sees how the program ended. */
    if (quit_signal == 1) {
        signal(SIGTERM, SIG_DFL);
        raise(SIGTERM);
    }
}

/* ---- colours ---------------------------------------------------------- */

static attr_t own_attrs(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THEME_BOLD)
        r |= A_BOLD;
    if (a & THEME_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_DIM)
        r |= A_DIM;
    if (a & THEME_STANDOUT)
        r |= A_STANDOUT;
    return r;
}

static void setup_colours(const theme *t, int want)
{
    const char *no = getenv("NO_COLOR");
    T.color = want && !(no && *no) && has_colors();
    if (T.color && start_color() == ERR)
        T.color = 0;
    if (T.color)
        use_default_colors();
    for (int r = 0; r < THEME_COUNT; r++) {
        const theme_style *st = &t->role[r];
        T.pair[r] = 0;
        /* A role whose colours this terminal lacks uses its monochrome
         * form rather than a wrong colour. */
        if (!T.color || st->fg >= COLORS || st->bg >= COLORS ||
            r + 1 >= COLOR_PAIRS) {
            T.attr[r] = own_attrs(st->mono);
            continue;
        }
        init_pair((short)(r + 1), st->fg, st->bg);
        T.pair[r] = (short)(r + 1);
        T.attr[r] = own_attrs(st->attrs);
    }
}

/* ---- start and stop --------------------------------------------------- */

static int utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int term_start(const term_options *opt, const theme *t, char *err,
               size_t errsz)
{
    FILE *out = stdout, *in = stdin;
    if (opt->script) {
        if (!(T.script = fopen(opt->script, "r")) || !(T.devnull = fopen("/dev/null", "r+"))) {
            snprintf(err, errsz, "%s: cannot read the key script", opt->script);
            return -1;
        }
        out = in = T.devnull;
    } else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errsz, "the workstation needs a terminal");
        return -1;
    }
    install_signals();
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (!newterm(NULL, out, in)) {
        snprintf(err, errsz, "cannot use terminal type '%.40s'",
                 getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    in_curses = 1;
    T.started = 1;
    T.accessible = opt->accessible;
    T.ascii = opt->ascii || opt->accessible || !utf8_locale();
    T.sflags = utf8_locale() ? 0 : SANITIZE_ASCII;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    meta(stdscr, TRUE);
    curs_set(opt->accessible ? 1 : 0);
    setup_colours(t, opt->color);
    if (T.script)
        resizeterm(24, 80); /* scripts start at 80x24 whatever TERM says */
    return 0;
}

void term_stop(void)
{
    if (!T.started)
        return;
    T.started = 0;
    in_curses = 0;
    if (quit_signal == 2)
        return; /* the terminal went away with the session */
    curs_set(1);
    endwin();
    if (T.script) {
        fclose(T.script);
        fclose(T.devnull);
        T.script = T.devnull = NULL;
    }
}

/* ---- input and frames ------------------------------------------------- */

/* The screen's text, row by row, trailing blanks trimmed. */
static void dump(const char *path)
{
    FILE *f = fopen(path, "w");
    int rows, cols;
    if (!f)
        return;
    getmaxyx(stdscr, rows, cols);
    for (int y = 0; y < rows; y++) {
        wchar_t line[1024];
        char mb[4 * 1024 + 8];
        size_t o = 0;
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        if (mvwinnwstr(stdscr, y, 0, line, cols < 1023 ? cols : 1023) == ERR)
            line[0] = 0;
        for (int i = 0; line[i] && o + MB_LEN_MAX < sizeof mb; i++) {
            size_t n = wcrtomb(mb + o, line[i], &ps);
            o += n == (size_t)-1 ? 0 : n;
        }
        while (o > 0 && mb[o - 1] == ' ')
            o--;
        fprintf(f, "%.*s\n", (int)o, mb);
    }
    fclose(f);
}

/* The attributes of every cell, one character each, for tests of the
 * monochrome scheme: '.' none, else a hex digit of bold 1, reverse 2,
 * underline 4, dim or standout 8. */
static void dump_attrs(const char *path)
{
    FILE *f = fopen(path, "w");
    int rows, cols;
    if (!f)
        return;
    getmaxyx(stdscr, rows, cols);
    for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a = 0;
            short pair = 0;
            if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
                a = 0;
            int v = (a & A_BOLD ? 1 : 0) | (a & A_REVERSE ? 2 : 0) |
                    (a & A_UNDERLINE ? 4 : 0) | (a & (A_DIM | A_STANDOUT) ? 8 : 0);
            fputc(v ? "0123456789abcdef"[v] : '.', f);
        }
        fputc('\n', f);
    }
    fclose(f);
}

static int script_key(void)
{
    char line[600];
    for (;;) {
        if (T.typed[T.typed_at]) {
            int cp;
            const unsigned char *u = (const unsigned char *)T.typed + T.typed_at;
            size_t n = *u < 0x80 ? 1 : *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : 2;
            cp = n == 1 ? *u : *u & (0x3F >> (n - 1));
            for (size_t i = 1; i < n && u[i]; i++)
                cp = (cp << 6) | (u[i] & 0x3F);
            T.typed_at += n;
            return cp;
        }
        if (!fgets(line, sizeof line, T.script))
            return TERM_KEY_END;
        line[strcspn(line, "\n")] = 0;
        int key, w, h;
        if (line[0] == '#' && line[1] != 0)
            continue;
        if (strncmp(line, "type ", 5) == 0) {
            snprintf(T.typed, sizeof T.typed, "%s", line + 5);
            T.typed_at = 0;
        } else if (strncmp(line, "dump ", 5) == 0) {
            dump(line + 5);
        } else if (strncmp(line, "dump-attrs ", 11) == 0) {
            dump_attrs(line + 11);
        } else if (sscanf(line, "resize %dx%d", &w, &h) == 2 && w > 0 && h > 0) {
            resizeterm(h, w);
            return TERM_KEY_RESIZE;
        } else if (line[0] && keymap_parse_key(line, &key) == 0) {
            return key == 3 ? TERM_KEY_INTERRUPT : key; /* ^C: as the signal */
        }
    }
}

/* A failed read: the terminal gone (hung up, closed), or a signal that
 * curses reported late; then the wait starts again. */
static int input_gone(void)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&p, 1, 0) >= 0 && !(p.revents & (POLLHUP | POLLERR | POLLNVAL)) &&
        ++T.spurious < 100)
        return TERM_KEY_NONE;
    return TERM_KEY_EOF;
}

/* The next character of a sequence already under way: it arrives at once
 * or within ESCDELAY; -1 when none came. */
static int seq_char(wint_t *wc)
{
    wtimeout(stdscr, get_escdelay());
    int rc = wget_wch(stdscr, wc);
    wtimeout(stdscr, -1);
    return rc;
}

static int seq_byte(void)
{
    wint_t wc;
    int rc = seq_char(&wc);
    return rc == OK && wc < 0x80 ? (int)wc : rc == OK ? 0x80 : -1;
}

/* After an ESC that curses did not decode: a lone Esc, or the rest of a
 * sequence this terminal's description does not know (a key from another
 * terminal type, Alt with a key).  Such a sequence is read to its end and
 * dropped as one unknown key, never dispatched byte by byte ("\033[4~"
 * would otherwise run Esc, '[', '4' and '~').  Esc and then another key
 * within ESCDELAY stay two keys. */
static int after_escape(void)
{
    wint_t wc;
    int rc = seq_char(&wc), c;
    if (rc == ERR)
        return 27;
    if (rc != OK || (wc != '[' && wc != 'O' && wc != ']' && wc != 'P' && wc != '_')) {
        /* Esc, then a key typed quickly (or Alt with it): both count. */
        if (rc == KEY_CODE_YES)
            ungetch((int)wc);
        else
            unget_wch((wchar_t)wc);
        return 27;
    }
    c = (int)wc;
    if (c == '[') {
        /* CSI: parameters and intermediates, then a final byte. */
        for (int i = 0; i < 32; i++) {
            c = seq_byte();
            if (c < 0 || (c >= 0x40 && c <= 0x7E))
                break;
        }
    } else if (c == 'O') {
        seq_byte(); /* SS3 and one byte */
    } else if (c == ']' || c == 'P' || c == '_') {
        /* A string (OSC, DCS, APC), to BEL or ST. */
        for (int i = 0, prev = 0; i < 256; i++, prev = c) {
            c = seq_byte();
            if (c < 0 || c == 7 || (prev == 27 && c == '\\'))
                break;
        }
    }
    return TERM_KEY_UNKNOWN;
}

int term_is_scripted(void)
{
    return T.script != NULL;
}

int term_key_within(int ms)
{
    if (ms <= 0 || T.script)
        return term_key();
    wtimeout(stdscr, ms);
    T.timeout = 1;
    int k = term_key();
    T.timeout = 0;
    wtimeout(stdscr, -1);
    return k;
}

int term_key(void)
{
    wint_t wc;
    if (T.script)
        return script_key();
    errno = 0;
    int rc = wget_wch(stdscr, &wc);
    if (interrupted) {
        /* curses keeps the failed read's ERR queued as if it were a key:
         * drop it, or the next wait would end at once. */
        interrupted = 0;
        flushinp();
        return TERM_KEY_INTERRUPT;
    }
    if (rc == ERR && T.timeout && errno != EINTR && !quit_signal)
        return TERM_KEY_TIMEOUT;
    if (rc == ERR)
        return errno == EINTR || quit_signal ? TERM_KEY_NONE : input_gone();
    T.spurious = 0;
    if (rc == KEY_CODE_YES)
        return wc == KEY_RESIZE ? TERM_KEY_RESIZE : KEYMAP_FN((int)wc);
    if (wc == 27)
        return after_escape();
    if (wc == 127 || wc == 8)
        return KEYMAP_FN(KEY_BACKSPACE);
    return (int)wc;
}

void term_drop_typeahead(void)
{
    if (!T.script)
        flushinp();
}

void term_size(int *rows, int *cols)
{
    getmaxyx(stdscr, *rows, *cols);
    if (*rows < 0)
        *rows = 0;
    if (*cols < 0)
        *cols = 0;
}

void term_erase(void)
{
    erase();
    T.cy = -1;
}

void term_redraw(void)
{
    clearok(curscr, TRUE);
}

void term_cursor(int y, int x)
{
    T.cy = y;
    T.cx = x;
}

void term_flush(void)
{
    if (T.cy >= 0) {
        curs_set(1);
        move(T.cy, T.cx);
    } else if (T.accessible) {
        move(0, 0);
    } else {
        curs_set(0);
    }
    refresh();
}

unsigned term_sanitize_flags(void)
{
    return T.sflags;
}

int term_is_ascii(void)
{
    return T.ascii;
}

int term_is_accessible(void)
{
    return T.accessible;
}

int term_has_color(void)
{
    return T.color;
}

/* ---- drawing ---------------------------------------------------------- */

int term_text(int y, int x, int w, const char *s, size_t len, theme_role r)
{
    int used = 0;
    sanitize_glyph g;
    for (size_t i = 0; i < len && used < w; i += g.bytes) {
        cchar_t cc;
        sanitize_next(s + i, len - i, T.sflags, &g);
        if (g.newline) {
            g.wc[0] = ' ', g.wc[1] = 0, g.width = 1;
        }
        if (g.width == 0)
            continue;
        if (used + g.width > w)
            break;
        if (setcchar(&cc, g.wc, T.attr[r], T.pair[r], NULL) == ERR)
            continue;
        mvadd_wch(y, x + used, &cc);
        used += g.width;
    }
    return used;
}

int term_str(int y, int x, int w, const char *s, theme_role r)
{
    return term_text(y, x, w, s, strlen(s), r);
}

const char *term_ellipsis(void)
{
    return T.ascii ? "..." : "\xe2\x80\xa6";
}

int term_clipn(int y, int x, int w, const char *s, size_t len, theme_role r)
{
    if (w <= 0)
        return 0;
    if (sanitize_width(s, len, T.sflags) <= w)
        return term_text(y, x, w, s, len, r);
    int ew = T.ascii ? 3 : 1;
    if (w <= ew)
        return term_str(y, x, w, term_ellipsis(), r);
    int used = term_text(y, x, w - ew, s, len, r);
    return used + term_str(y, x + used, ew, term_ellipsis(), r);
}

int term_clip(int y, int x, int w, const char *s, theme_role r)
{
    return term_clipn(y, x, w, s, strlen(s), r);
}

int term_wrap(int y, int x, int w, int maxrows, const char *s, theme_role r)
{
    wrap_rows wr = {0};
    size_t len = strlen(s);
    if (w <= 0 || maxrows <= 0)
        return 0;
    if (wrap_text(s, len, w, T.sflags, &wr) < 0 || wr.n == 0) {
        wrap_free(&wr);
        term_clip(y, x, w, s, r);
        return 1;
    }
    int n = (int)wr.n < maxrows ? (int)wr.n : maxrows;
    for (int i = 0; i < n; i++) {
        /* The last row shown takes the rest, cut with an ellipsis. */
        size_t end = i == n - 1 ? len : wr.v[i].end;
        term_clipn(y + i, x, w, s + wr.v[i].start, end - wr.v[i].start, r);
    }
    wrap_free(&wr);
    return n;
}

int term_printf_clip(int y, int x, int w, theme_role r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return term_clip(y, x, w, buf, r);
}

int term_printf(int y, int x, int w, theme_role r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return term_str(y, x, w, buf, r);
}

void term_fill(int y, int x, int w, theme_role r)
{
    attr_t a = T.attr[r];
    for (int i = 0; i < w; i++)
        mvaddch(y, x + i, ' ' | a | COLOR_PAIR(T.pair[r]));
}

void term_paint(int y, int x, int w, theme_role r)
{
    if (w > 0)
        mvchgat(y, x, w, T.attr[r], T.pair[r], NULL);
}

void term_paint_over(int y, int x, int w, theme_role r)
{
    if (T.pair[r]) {
        term_paint(y, x, w, r);
        return;
    }
    /* Without colours, reverse on reverse would not show: where the cell
     * is already reversed (evidence, a mark), the reverse is taken away
     * instead, and bold and underline still set it apart. */
    for (int i = 0; i < w; i++) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1];
        attr_t a = 0, na = T.attr[r];
        short pair = 0;
        if (mvin_wch(y, x + i, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
            continue;
        if ((a & A_REVERSE) && (na & A_REVERSE))
            na &= ~(attr_t)A_REVERSE;
        mvchgat(y, x + i, 1, na, 0, NULL);
    }
}

/* Lines are drawn as characters, not with the alternate character set:
 * some terminals and multiplexers mangle ACS, and a UTF-8 line is what a
 * UTF-8 terminal shows best; ASCII otherwise. */
void term_hline(int y, int x, int w)
{
    const char *c = T.ascii ? "-" : "\xe2\x94\x80";
    for (int i = 0; i < w; i++)
        term_str(y, x + i, 1, c, THEME_FRAME);
}

void term_vline(int y, int x, int h)
{
    const char *c = T.ascii ? "|" : "\xe2\x94\x82";
    for (int i = 0; i < h; i++)
        term_str(y + i, x, 1, c, THEME_FRAME);
}

void term_box(int y, int x, int h, int w)
{
    if (h < 2 || w < 2)
        return;
    term_hline(y, x + 1, w - 2);
    term_hline(y + h - 1, x + 1, w - 2);
    term_vline(y + 1, x, h - 2);
    term_vline(y + 1, x + w - 1, h - 2);
    term_str(y, x, 1, T.ascii ? "+" : "\xe2\x94\x8c", THEME_FRAME);
    term_str(y, x + w - 1, 1, T.ascii ? "+" : "\xe2\x94\x90", THEME_FRAME);
    term_str(y + h - 1, x, 1, T.ascii ? "+" : "\xe2\x94\x94", THEME_FRAME);
    term_str(y + h - 1, x + w - 1, 1, T.ascii ? "+" : "\xe2\x94\x98", THEME_FRAME);
}

const char *term_sym(const char *utf8, const char *ascii)
{
    return T.ascii ? ascii : utf8;
}
