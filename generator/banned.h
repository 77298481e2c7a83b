/* banned — functions this code base does not call (git's banned.h): each
 * has a bounded or safer form here. Included last in every .c file, after
 * the system headers, so the declarations are not touched; a use is then a
 * compile error naming the function. */
#ifndef GEN_BANNED_H
#define GEN_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)       /* buf_adds, xstrdup, memcpy with a known length */
#undef strcat
#define strcat(x, y) BANNED(strcat)       /* buf_adds */
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)  /* xstrndup, memcpy */
#undef strncat
#define strncat(x, y, n) BANNED(strncat)  /* buf_add */
#undef sprintf
#define sprintf(...) BANNED(sprintf)      /* snprintf, xasprintf, buf_addf */
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)    /* vsnprintf */
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)       /* not reentrant: threads render briefs */
#undef asctime
#define asctime(x) BANNED(asctime)
#undef ctime
#define ctime(x) BANNED(ctime)
#undef gmtime
#define gmtime(x) BANNED(gmtime)          /* gmtime_r */
#undef localtime
#define localtime(x) BANNED(localtime)    /* localtime_r */

#endif
