/* json_check.c — see json_check.h. */
#include <string.h>

#include "json_check.h"

static const char *json_string(const char *s)
{
    if (*s++ != '"') {
        return NULL;
    }
    while (*s != '"') {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            return NULL;
        }
        if (*s == '\\') {
            s++;
            if (*s == 'u') {
                int i;
                for (i = 1; i <= 4; i++) {
                    if (!s[i] || !strchr("0123456789abcdefABCDEF", s[i])) {
                        return NULL;
                    }
                }
                s += 4;
            }
            else if (!*s || !strchr("\"\\/bfnrt", *s)) {
                return NULL;
            }
        }
        s++;
    }
    return s + 1;
}

static const char *json_list(const char *s, char close, int members)
{
    s++;
    if (*s == close) {
        return s + 1;
    }
    for (;;) {
        if (members) {
            s = json_string(s);
            if (s == NULL || *s++ != ':') {
                return NULL;
            }
        }
        s = json_check_value(s);
        if (s == NULL) {
            return NULL;
        }
        if (*s == close) {
            return s + 1;
        }
        if (*s++ != ',') {
            return NULL;
        }
    }
}

const char *json_check_value(const char *s)
{
    if (*s == '{') {
        return json_list(s, '}', 1);
    }
    if (*s == '[') {
        return json_list(s, ']', 0);
    }
    if (*s == '"') {
        return json_string(s);
    }
    if (*s >= '1' && *s <= '9') {
        while (*s >= '0' && *s <= '9') {
            s++;
        }
        return s;
    }
    return NULL;
}


int json_check_object(const char *body)
{
    const char *end;

    if (*body != '{') {
        return 0;
    }
    end = json_check_value(body);
    return end != NULL && strcmp(end, "\n") == 0;
}
