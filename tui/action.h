/* action: every command of the workstation, one X-macro entry each:
 * X(ID, scope, "name", "default keys", "help").  The table generates the
 * enum, the names the configuration file binds, the default key map and
 * the help screen, so none of them can drift from the others.
 *
 * Scopes: global actions work on every screen; a screen's own scope is
 * looked up first, so 'c' can be "comment" in a review and "claim" in the
 * queue.  Keys are separated by blanks (names in keymap.h).
 *
 * Room is left for what comes next: a "letter" action in the review scope
 * after a decision, and a training scope; neither is built yet. */
#ifndef TUI_ACTION_H
#define TUI_ACTION_H

#define TUI_ACTIONS(X)                                                        \
    X(QUIT, GLOBAL, "quit", "q", "leave this screen (asks first if unsaved)") \
    X(HELP, GLOBAL, "help", "? F1", "show every key of this screen")        \
    X(REDRAW, GLOBAL, "redraw", "^L", "redraw the screen")                  \
    X(UP, GLOBAL, "up", "Up k", "move up")                                  \
    X(DOWN, GLOBAL, "down", "Down j", "move down")                          \
    X(PAGE_UP, GLOBAL, "page-up", "PgUp ^B", "one page up")                 \
    X(PAGE_DOWN, GLOBAL, "page-down", "PgDn ^F Space", "one page down")     \
    X(TOP, GLOBAL, "top", "Home g", "go to the first line")                \
    X(BOTTOM, GLOBAL, "bottom", "End G", "go to the last line")            \
    X(ENTER, GLOBAL, "open", "Enter Right l", "open, or jump to the selection") \
    X(BACK, GLOBAL, "back", "Esc Left h", "go back, or close a panel")      \
    X(NEXT_PANE, REVIEW, "next-pane", "Tab", "move between criteria, note and facts") \
    X(PREV_PANE, REVIEW, "prev-pane", "BackTab", "move between panes, backwards") \
    X(ACCEPT, REVIEW, "accept", "a", "accept the engine's suggestion as the verdict") \
    X(MET, REVIEW, "met", "m", "verdict: met")                              \
    X(NOT_MET, REVIEW, "not-met", "x", "verdict: not met")                  \
    X(NA, REVIEW, "na", "-", "verdict: not applicable (n/a)")         \
    X(COMMENT, REVIEW, "comment", "c", "comment on the selected criterion") \
    X(MARK, REVIEW, "mark-evidence", "e", "mark the note's selection as evidence") \
    X(SELECT, REVIEW, "select-span", "v", "in the note: start or end a span to mark") \
    X(NEXT_EVIDENCE, REVIEW, "next-evidence", "]", "next highlighted evidence in the note") \
    X(PREV_EVIDENCE, REVIEW, "prev-evidence", "[", "previous highlighted evidence") \
    X(NEXT_UNREVIEWED, REVIEW, "next-unreviewed", "u", "next criterion with no verdict") \
    X(SEARCH, REVIEW, "search", "/", "search the note")                     \
    X(SEARCH_NEXT, REVIEW, "search-next", "n", "next match")                \
    X(SEARCH_PREV, REVIEW, "search-prev", "N", "previous match")            \
    X(FACTS, REVIEW, "facts", "f", "list every fact found, each jumping to the note") \
    X(DECIDE, REVIEW, "decide", "d", "record the decision")                 \
    X(CLAIM, QUEUE, "claim", "c", "claim the case for yourself")            \
    X(RELEASE, QUEUE, "release", "r", "release your claim")                 \
    X(TAKEOVER, QUEUE, "takeover", "T", "take over another reviewer's claim (administrators)") \
    X(FILTER, QUEUE, "filter", "/", "show only cases matching a text")      \
    X(SORT, QUEUE, "sort", "s", "sort by due, urgency, received, case")    \
    X(RELOAD, QUEUE, "reload", "R", "read the queue again")                 \
    X(CHOOSE_APPROVE, DECIDE, "approve", "A", "choose approve")             \
    X(CHOOSE_DENY, DECIDE, "deny", "D", "choose deny")                      \
    X(CHOOSE_PEND, DECIDE, "pend", "P", "choose pend for more information") \
    X(CHOOSE_REFER, DECIDE, "refer", "F", "choose refer to a physician reviewer")

#define TUI_ACTION_ENUM(id, scope, name, keys, help) ACTION_##id,
typedef enum {
    ACTION_NONE = 0,
    TUI_ACTIONS(TUI_ACTION_ENUM)
    ACTION_COUNT
} tui_action;
#undef TUI_ACTION_ENUM

typedef enum {
    SCOPE_GLOBAL = 0,
    SCOPE_REVIEW,
    SCOPE_QUEUE,
    SCOPE_DECIDE,
    SCOPE_COUNT
} tui_scope;

#endif
