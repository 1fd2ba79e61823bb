/* RedisModule_Fork and friends. The bridge forks itself: the child runs
 * only the module's C code until ExitFromChild, never Go (a forked Go
 * runtime has lost all threads but the caller's), so everything a child
 * may use here (heartbeats, exit, Log) is plain C. The parent's side is
 * the engine's (internal/module/fork.go). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "bridge.h"
#include "_cgo_export.h"

/* What the child sends the parent through the info pipe. */
typedef struct {
    int32_t final;   /* 1: exit report, 0: heartbeat */
    int32_t unused;
    double progress; /* heartbeat progress, 0..1 */
    int64_t cow;     /* copy-on-write bytes, -1 when not measured */
} rmbChildInfo;

int rmb_in_fork_child; /* this process is a child made by rm_Fork */

/* Child-only state, set up by rm_Fork before fork(). */
static int child_info_fd = -1;
static int child_log_fd = -1;
static int child_log_level = 2;
static uintptr_t *child_ctx_h;  /* context handle -> module name, for Log */
static char **child_ctx_name;
static int child_nctx;
static long long child_cow_at; /* last copy-on-write measurement (ms) */

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The child's dirty private memory: what copy-on-write has duplicated. */
static int64_t private_dirty(void) {
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (f == NULL) return 0;
    char line[256];
    int64_t kb = 0, v;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "Private_Dirty: %lld kB", (long long *)&v) == 1) kb += v;
    }
    fclose(f);
    return kb * 1024;
}

static void child_send(int final, double progress, int64_t cow) {
    if (child_info_fd == -1) return;
    rmbChildInfo info = {final, 0, progress, cow};
    ssize_t n;
    do {
        n = write(child_info_fd, &info, sizeof(info));
    } while (n == -1 && errno == EINTR);
}

static void child_log(const char *modname, int level, const char *msg);

static void child_sigusr1(int sig) { _exit(sig); }

/* Runs in the child right after fork(): no Go signal handlers (their Go
 * code cannot run here); SIGUSR1 ends the child, as in Redis. */
static void child_setup(int infofd, int *closefds, int nclose) {
    rmb_in_fork_child = 1;
    child_info_fd = infofd;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        signal(sig, SIG_DFL);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    sigemptyset(&act.sa_mask);
    act.sa_handler = child_sigusr1;
    sigaction(SIGUSR1, &act, NULL);
    /* Free the listening ports at once should the parent go away. */
    for (int j = 0; j < nclose; j++) close(closefds[j]);
}

static void free_ctx_names(void) {
    for (int j = 0; j < child_nctx; j++) free(child_ctx_name[j]);
    free(child_ctx_name);
    free(child_ctx_h);
    child_ctx_name = NULL;
    child_ctx_h = NULL;
    child_nctx = 0;
}

/* rmb_fork_name_ctx adds one context handle -> module name pair (called by
 * Go from goRM_ForkSetup). */
void rmb_fork_name_ctx(uintptr_t h, const char *name) {
    child_ctx_h = realloc(child_ctx_h, sizeof(uintptr_t) * (child_nctx + 1));
    child_ctx_name = realloc(child_ctx_name, sizeof(char *) * (child_nctx + 1));
    child_ctx_h[child_nctx] = h;
    child_ctx_name[child_nctx] = strdup(name);
    child_nctx++;
}

void rmb_call_fork_done(void *fn, int exitcode, int bysignal, void *ud) {
    ((RedisModuleForkDoneHandler)fn)(exitcode, bysignal, ud);
}

int rm_Fork(RedisModuleForkDoneHandler cb, void *user_data) {
    int closefds[64];
    int nclose = 0;
    int err = goRM_ForkSetup(&child_log_fd, &child_log_level, closefds, 64, &nclose);
    if (err) {
        free_ctx_names();
        errno = err;
        return -1;
    }
    int fds[2] = {-1, -1};
    if (pipe(fds) == -1) {
        fds[0] = fds[1] = -1; /* the child runs without reporting, as in Redis */
    } else {
        fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
        fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    }
    /* No signal may reach the child before its Go handlers are gone. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    long long start = now_us();
    pid_t pid = fork();
    if (pid == 0) {
        if (fds[0] != -1) close(fds[0]);
        child_setup(fds[1], closefds, nclose);
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, NULL);
        return 0;
    }
    int saved = errno;
    long long took = now_us() - start;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free_ctx_names();
    if (fds[1] != -1) close(fds[1]);
    if (pid == -1) {
        if (fds[0] != -1) close(fds[0]);
        goRM_ForkFailed(saved);
        errno = saved;
        return -1;
    }
    goRM_ForkStarted(pid, took, (void *)cb, user_data, fds[0]);
    return pid;
}

void rm_SendChildHeartbeat(double progress) {
    if (!rmb_in_fork_child) return;
    if (progress < 0) progress = 0;
    if (progress > 1) progress = 1;
    /* Measuring copy-on-write reads /proc: at most once a second. */
    int64_t cow = -1;
    long long now = now_ms();
    if (child_cow_at == 0 || now - child_cow_at >= 1000) {
        cow = private_dirty();
        child_cow_at = now;
    }
    child_send(0, progress, cow);
}

int rm_ExitFromChild(int retcode) {
    if (rmb_in_fork_child) {
        int64_t cow = private_dirty();
        if (cow) {
            char msg[128];
            snprintf(msg, sizeof(msg), "Fork CoW for Module fork: current %lld MB", (long long)(cow / (1024 * 1024)));
            child_log(NULL, 2, msg);
        }
        child_send(1, 1, cow);
    }
    _exit(retcode);
    return REDISMODULE_OK;
}

int rm_KillForkChild(int child_pid) { return goRM_KillForkChild(child_pid); }

/* child_log writes a log line from the child the way the server logs
 * (role 'C', as Redis's children), straight to the server's log
 * descriptor; modname, when not NULL, prefixes "<modname> " as RM_Log
 * does. level: 0 debug, 1 verbose, 2 notice, 3 warning. */
static void child_log(const char *modname, int level, const char *msg) {
    if (child_log_fd == -1 || level < child_log_level) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char when[64];
    strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &tm);
    static const char marks[] = ".-*#";
    char line[1200];
    int n = snprintf(line, sizeof(line), "%d:C %s.%03d %c %s%s%s%s\n", (int)getpid(), when, (int)(tv.tv_usec / 1000),
                     marks[level], modname ? "<" : "", modname ? modname : "", modname ? "> " : "", msg);
    if (n > (int)sizeof(line) - 1) n = sizeof(line) - 1;
    ssize_t w;
    do {
        w = write(child_log_fd, line, n);
    } while (w == -1 && errno == EINTR);
}

/* rmb_child_module_log is RedisModule_Log in a fork child. */
void rmb_child_module_log(RedisModuleCtx *ctx, const char *levelstr, const char *msg) {
    int level = 1;
    if (levelstr) {
        if (!strcmp(levelstr, "debug")) level = 0;
        else if (!strcmp(levelstr, "notice")) level = 2;
        else if (!strcmp(levelstr, "warning")) level = 3;
    }
    const char *name = "module";
    for (int j = 0; ctx && j < child_nctx; j++) {
        if (child_ctx_h[j] == ctx->h) name = child_ctx_name[j];
    }
    child_log(name, level, msg);
}
