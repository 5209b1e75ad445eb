/* Copyright 2026 mod_notimpl developers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* json_check.c — see json_check.h. */
#include <string.h>

#include "json_check.h"

/* The length of the UTF-8 sequence at s (RFC 3629: no overlong form,
 * no surrogate, nothing above U+10FFFF), or 0.  Written apart from the
 * module's own check, so that one cannot vouch for itself. */
static int utf8_sequence(const unsigned char *s)
{
    static const struct {
        unsigned char lead_lo, lead_hi, second_lo, second_hi;
        int n;
    } forms[] = {
        { 0xc2, 0xdf, 0x80, 0xbf, 2 },
        { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
        { 0xe1, 0xec, 0x80, 0xbf, 3 },
        { 0xed, 0xed, 0x80, 0x9f, 3 },
        { 0xee, 0xef, 0x80, 0xbf, 3 },
        { 0xf0, 0xf0, 0x90, 0xbf, 4 },
        { 0xf1, 0xf3, 0x80, 0xbf, 4 },
        { 0xf4, 0xf4, 0x80, 0x8f, 4 },
    };
    size_t f;
    int i;

    for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
        if (s[0] < forms[f].lead_lo || s[0] > forms[f].lead_hi) {
            continue;
        }
        if (s[1] < forms[f].second_lo || s[1] > forms[f].second_hi) {
            return 0;
        }
        for (i = 2; i < forms[f].n; i++) {
            if (s[i] < 0x80 || s[i] > 0xbf) {
                return 0;
            }
        }
        return forms[f].n;
    }
    return 0;
}

static const char *json_string(const char *s)
{
    if (*s++ != '"') {
        return NULL;
    }
    while (*s != '"') {
        if ((unsigned char)*s >= 0x80) {
            int n = utf8_sequence((const unsigned char *)s);
            if (n == 0) {
                return NULL;
            }
            s += n;
            continue;
        }
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
    if (*s == '0') {                    /* RFC 8259: no leading zeros */
        return s + 1;
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
