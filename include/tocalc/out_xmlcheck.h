/*
** out_xmlcheck.h: is a buffer a well-formed XML 1.0 document?
**
** A small, pure checker (no allocation, no I/O, no entity expansion) for
** the SVG files gnuplot writes: tocalc refuses to write an SVG that a
** browser would show as a parser error (issue 19: a title holding "]]>",
** "&#x3c" or "&#xFFFF;" passes through gnuplot unescaped).  It checks the
** well-formedness constraints of XML 1.0 (fifth edition) that such text
** can break, and the structure around them:
**   - the bytes are UTF-8 and every character is an XML Char;
**   - one root element; elements nest and end tags match start tags;
**     names follow the Name production; attribute values are quoted, hold
**     no '<', and no attribute appears twice in a tag;
**   - character data holds no "]]>"; every '&' starts a reference: one of
**     the five predefined entities or a character reference to a Char;
**   - comments hold no "--", CDATA sections and processing instructions
**     are closed, an XML declaration appears only at the start, and at
**     most one DOCTYPE (skipped, quotes and an internal subset included)
**     precedes the root.
** Entities declared in a DOCTYPE are not expanded: a reference to any
** entity but the five predefined ones is refused (gnuplot declares none).
** Elements may nest XML_CHECK_DEPTH deep.
*/
#ifndef TOCALC_OUT_XMLCHECK_H
#define TOCALC_OUT_XMLCHECK_H

#include <stddef.h>

#define XML_CHECK_DEPTH 256

/*
** 0 when buf[0..len) is well-formed.  Otherwise -1, and msg (size bytes,
** at least 1) holds "line L, column C: what is wrong" (column in bytes,
** from 1).  buf need not be NUL-terminated.
*/
int out_xml_check(const char *buf, size_t len, char *msg, size_t size);

#endif
