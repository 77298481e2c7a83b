/* cmd — one function per subcommand; main.c looks them up in a table.
 * Each returns the process exit status: 0 ok, 1 content errors, 2 usage. */
#ifndef GEN_CMD_H
#define GEN_CMD_H

struct cmd_env {
	const char *datadir; /* default theme and lua/ */
	int colour;          /* stderr is a terminal and NO_COLOR is unset */
};

int cmd_build(int argc, char **argv, const struct cmd_env *env);
int cmd_new(int argc, char **argv, const struct cmd_env *env);
int cmd_serve(int argc, char **argv, const struct cmd_env *env);
int cmd_check(int argc, char **argv, const struct cmd_env *env);
int cmd_calc(int argc, char **argv, const struct cmd_env *env);
int cmd_import(int argc, char **argv, const struct cmd_env *env);

/* Diagnostics that say the same thing are printed this many times, then
 * counted (diag_print_summary); --verbose prints them all. */
#define DIAG_KEEP 5

#define EXIT_CONTENT 1
#define EXIT_USAGE 2

#endif
