/* Sorted set key family: thin wrappers handing the key's Go handle and
 * the string bytes to the engine (api_zset.go). */
#include "bridge.h"
#include "_cgo_export.h"

int rm_ZsetAdd(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr) {
    if (key == NULL || ele == NULL) return REDISMODULE_ERR;
    return goRM_ZsetAdd(key->h, score, ele->ptr, ele->len, flagsptr, 0, NULL);
}

int rm_ZsetIncrby(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr, double *newscore) {
    if (key == NULL || ele == NULL) return REDISMODULE_ERR;
    return goRM_ZsetAdd(key->h, score, ele->ptr, ele->len, flagsptr, 1, newscore);
}

int rm_ZsetRem(RedisModuleKey *key, RedisModuleString *ele, int *deleted) {
    if (key == NULL || ele == NULL) return REDISMODULE_ERR;
    return goRM_ZsetRem(key->h, ele->ptr, ele->len, deleted);
}

int rm_ZsetScore(RedisModuleKey *key, RedisModuleString *ele, double *score) {
    if (key == NULL || ele == NULL) return REDISMODULE_ERR;
    return goRM_ZsetScore(key->h, ele->ptr, ele->len, score);
}

void rm_ZsetRangeStop(RedisModuleKey *key) {
    if (key != NULL) goRM_ZsetOp(key->h, 0);
}

int rm_ZsetRangeNext(RedisModuleKey *key) { return key ? goRM_ZsetOp(key->h, 1) : 0; }

int rm_ZsetRangePrev(RedisModuleKey *key) { return key ? goRM_ZsetOp(key->h, 2) : 0; }

int rm_ZsetRangeEndReached(RedisModuleKey *key) { return key ? goRM_ZsetOp(key->h, 3) : 1; }

int rm_ZsetFirstInScoreRange(RedisModuleKey *key, double min, double max, int minex, int maxex) {
    if (key == NULL) return REDISMODULE_ERR;
    return goRM_ZsetScoreRange(key->h, min, max, minex, maxex, 1);
}

int rm_ZsetLastInScoreRange(RedisModuleKey *key, double min, double max, int minex, int maxex) {
    if (key == NULL) return REDISMODULE_ERR;
    return goRM_ZsetScoreRange(key->h, min, max, minex, maxex, 0);
}

int rm_ZsetFirstInLexRange(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max) {
    if (key == NULL || min == NULL || max == NULL) return REDISMODULE_ERR;
    return goRM_ZsetLexRange(key->h, min->ptr, min->len, max->ptr, max->len, 1);
}

int rm_ZsetLastInLexRange(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max) {
    if (key == NULL || min == NULL || max == NULL) return REDISMODULE_ERR;
    return goRM_ZsetLexRange(key->h, min->ptr, min->len, max->ptr, max->len, 0);
}

RedisModuleString *rm_ZsetRangeCurrentElement(RedisModuleKey *key, double *score) {
    if (key == NULL) return NULL;
    return goRM_ZsetCurrent(key->h, key->ctx, score);
}
