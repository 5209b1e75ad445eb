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

/* json_check.h — a JSON validator just wide enough for the module's
 * documents (RFC 8259 objects, arrays, strings, unsigned integers), shared
 * by the unit tests and the fuzzers.  Raw bytes inside strings must be
 * printable ASCII or valid UTF-8 (RFC 8259 §8.1): configuration text
 * keeps its UTF-8, while client bytes are never raw above 0x7e (the
 * callers check that apart: json_check cannot tell whose bytes it sees). */
#ifndef JSON_CHECK_H
#define JSON_CHECK_H

/* The end of the JSON value starting at s, or NULL when it is not one. */
const char *json_check_value(const char *s);

/* 1 when body is one JSON object followed by exactly one "\n". */
int json_check_object(const char *body);

#endif
