#include "tui/term.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/keymap.h"
#include "tui/sanitize.h"

static struct {
    FILE *script, *devnull;
    char typed[600]; /* "type" text not yet returned as keys */
    size_t typed_at;
    int started, accessible, ascii, color;
    unsigned sflags;
    attr_t attr[THEME_COUNT];
    short pair[THEME_COUNT];
    int cy, cx;
} T;

static volatile sig_atomic_t quit_signal; /* 1 INT/TERM, 2 HUP */
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
    catch(SIGINT, on_quit, 0);
    catch(SIGTERM, on_quit, 0);
    catch(SIGHUP, on_quit, 0);
    catch(SIGPIPE, SIG_IGN, 0);
}

int term_quit_requested(void)
{
    return quit_signal;
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
        } else if (sscanf(line, "resize %dx%d", &w, &h) == 2 && w > 0 && h > 0) {
            resizeterm(h, w);
            return TERM_KEY_RESIZE;
        } else if (line[0] && keymap_parse_key(line, &key) == 0) {
            return key;
        }
    }
}

int term_key(void)
{
    wint_t wc;
    if (T.script)
        return script_key();
    errno = 0;
    int rc = wget_wch(stdscr, &wc);
    if (rc == ERR)
        return errno == EINTR || quit_signal ? TERM_KEY_NONE : TERM_KEY_EOF;
    if (rc == KEY_CODE_YES)
        return wc == KEY_RESIZE ? TERM_KEY_RESIZE : KEYMAP_FN((int)wc);
    if (wc == 127 || wc == 8)
        return KEYMAP_FN(KEY_BACKSPACE);
    return (int)wc;
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
