/* Shared between the two source files of the hello test module. */
#ifndef HELLO_H
#define HELLO_H

#include "redismodule.h"

/* Registers the parts in hello_extra.c; called from OnLoad. */
int hello_extra_load(RedisModuleCtx *ctx);

int hello_supported_push_length(void);
int hello_supported_create_command(void);

#endif
