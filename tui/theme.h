/* theme: semantic colour roles, each with a colour and a monochrome
 * rendering, so that meaning never rests on colour alone.  No curses here:
 * term.c turns a role into attributes; config.c changes roles. */
#ifndef TUI_THEME_H
#define TUI_THEME_H

enum {
    THEME_BOLD = 1 << 0,
    THEME_REVERSE = 1 << 1,
    THEME_UNDERLINE = 1 << 2,
    THEME_DIM = 1 << 3,
    THEME_STANDOUT = 1 << 4
};

#define THEME_DEFAULT (-1) /* the terminal's own colour */

/* X(ID, "name", fg, bg, colour attrs, monochrome attrs) */
#define THEME_ROLES(X)                                                         \
    X(NORMAL, "normal", THEME_DEFAULT, THEME_DEFAULT, 0, 0)                    \
    X(HEADER, "header", 7, 4, THEME_BOLD, THEME_REVERSE)                       \
    X(TITLE, "title", 4, THEME_DEFAULT, THEME_BOLD, THEME_BOLD | THEME_UNDERLINE) \
    X(FRAME, "frame", 4, THEME_DEFAULT, 0, 0)                                  \
    X(CURSOR, "cursor", 0, 6, 0, THEME_REVERSE)                                \
    X(EVIDENCE, "evidence", 0, 3, 0, THEME_REVERSE)                            \
    X(EVIDENCE_OTHER, "evidence-other", THEME_DEFAULT, THEME_DEFAULT, THEME_UNDERLINE, THEME_UNDERLINE) \
    X(MARK, "mark", 0, 2, 0, THEME_REVERSE | THEME_UNDERLINE)                  \
    X(SEARCH, "search", 0, 5, THEME_BOLD, THEME_REVERSE | THEME_BOLD | THEME_UNDERLINE) \
    X(MET, "met", 2, THEME_DEFAULT, THEME_BOLD, THEME_BOLD)                    \
    X(NOT_MET, "not-met", 1, THEME_DEFAULT, THEME_BOLD, THEME_BOLD | THEME_UNDERLINE) \
    X(UNKNOWN, "unknown", 3, THEME_DEFAULT, 0, 0)                              \
    X(NA, "na", THEME_DEFAULT, THEME_DEFAULT, THEME_DIM, 0)                    \
    X(URGENT, "urgent", 1, THEME_DEFAULT, THEME_BOLD, THEME_BOLD)              \
    X(OVERDUE, "overdue", 7, 1, THEME_BOLD, THEME_REVERSE | THEME_BOLD)        \
    X(KEY, "key", THEME_DEFAULT, THEME_DEFAULT, THEME_BOLD, THEME_BOLD)        \
    X(STATUS, "status", THEME_DEFAULT, THEME_DEFAULT, 0, 0)                    \
    X(ERROR, "error", 1, THEME_DEFAULT, THEME_BOLD, THEME_BOLD | THEME_REVERSE) \
    X(FLAG, "flag", 5, THEME_DEFAULT, THEME_BOLD, THEME_BOLD)

#define THEME_ENUM(id, name, fg, bg, a, m) THEME_##id,
typedef enum { THEME_ROLES(THEME_ENUM) THEME_COUNT } theme_role;
#undef THEME_ENUM

typedef struct {
    short fg, bg;      /* 0..255 or THEME_DEFAULT */
    unsigned attrs;    /* with colours */
    unsigned mono;     /* without */
} theme_style;

typedef struct {
    theme_style role[THEME_COUNT];
} theme;

void theme_defaults(theme *t);
int theme_parse_role(const char *name, theme_role *r);
const char *theme_role_name(theme_role r);
/* "red", "default", "214" -> colour; -1 unknown (-2 for an error). */
int theme_parse_color(const char *name, short *out);
/* "bold", "reverse", "underline", "dim", "standout", "normal". */
int theme_parse_attr(const char *name, unsigned *out);

#endif
