#ifndef TOCALC_VERSION_H
#define TOCALC_VERSION_H
#define TOCALC_VERSION "0.1.0"
#endif
