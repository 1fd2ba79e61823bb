/*
 * A stand-in for the server side of module loading, used by TestHelloModule:
 * it dlopen()s a module, hands RedisModule_OnLoad a context whose first
 * word is a GetApi function, and prints what the module did, one fact per
 * line, for the Go test to check:
 *
 *   requested <name>           every name RedisModule_Init asked for
 *   attribs <name> <ver> <apiver>
 *   command <name> <flags> <first> <last> <step>
 *   supported <api> <0|1>      RMAPI_FUNC_SUPPORTED as seen by the module
 *   onload <rc>
 *
 * Usage: host <module.so> <mode>. Modes: "normal" serves SetModuleAttribs,
 * IsModuleNameBusy (answering 0) and CreateCommand; "busy" answers 1 from
 * IsModuleNameBusy; "nobusyapi" does not serve IsModuleNameBusy at all.
 * Every other name is refused, as a server without that API would.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static const char *mode;

static void set_module_attribs(void *ctx, const char *name, int ver,
                               int apiver) {
    (void)ctx;
    printf("attribs %s %d %d\n", name, ver, apiver);
}

static int is_module_name_busy(const char *name) {
    (void)name;
    return strcmp(mode, "busy") == 0;
}

static int create_command(void *ctx, const char *name, void *fn,
                          const char *flags, int first, int last, int step) {
    (void)ctx;
    if (fn == NULL) return 1;
    printf("command %s %s %d %d %d\n", name, flags, first, last, step);
    return 0;
}

/* The server's GetApi: int GetApi(const char *name, void *targetPtrPtr). */
static int get_api(const char *name, void *target) {
    void *fn = NULL;
    printf("requested %s\n", name);
    if (strcmp(name, "RedisModule_SetModuleAttribs") == 0)
        fn = (void *)set_module_attribs;
    else if (strcmp(name, "RedisModule_CreateCommand") == 0)
        fn = (void *)create_command;
    else if (strcmp(name, "RedisModule_IsModuleNameBusy") == 0 &&
             strcmp(mode, "nobusyapi") != 0)
        fn = (void *)is_module_name_busy;
    if (fn == NULL) return 1; /* REDISMODULE_ERR; the target is untouched */
    *(void **)target = fn;
    return 0;
}

/* The context: opaque to the module except for its first word. */
struct fake_ctx {
    int (*getapi)(const char *, void *);
    char rest[64];
};

int main(int argc, char **argv) {
    struct fake_ctx ctx;
    void *so;
    int (*onload)(void *, void **, int);
    int (*sup)(void);
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: host <module.so> <mode>\n");
        return 2;
    }
    mode = argv[2];
    so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (so == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 2;
    }
    *(void **)&onload = dlsym(so, "RedisModule_OnLoad");
    if (onload == NULL) {
        fprintf(stderr, "no RedisModule_OnLoad\n");
        return 2;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.getapi = get_api;
    rc = onload(&ctx, NULL, 0);

    *(void **)&sup = dlsym(so, "hello_supported_push_length");
    if (sup) printf("supported ReplySetPushLength %d\n", sup());
    *(void **)&sup = dlsym(so, "hello_supported_create_command");
    if (sup) printf("supported CreateCommand %d\n", sup());
    printf("onload %d\n", rc);
    fflush(stdout);
    dlclose(so);
    return 0;
}
