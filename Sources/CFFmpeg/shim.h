// Re-exports the FFmpeg macros Swift cannot import (function-like or compound-literal macros).
#pragma once
#include <errno.h>
#include <malloc.h>  // mallopt: see Stream's HeapPolicy
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>  // for its version; the library is loaded on demand (Stream's DeviceLibrary)
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>

static const int CFF_AVERROR_EOF = AVERROR_EOF;
static const int CFF_AVERROR_EAGAIN = AVERROR(EAGAIN);
static const int CFF_AVERROR_EXIT = AVERROR_EXIT;
static const int CFF_AVERROR_INVALIDDATA = AVERROR_INVALIDDATA;
static const int CFF_AVERROR_STREAM_NOT_FOUND = AVERROR_STREAM_NOT_FOUND;
static const int CFF_AVERROR_DECODER_NOT_FOUND = AVERROR_DECODER_NOT_FOUND;
static const int64_t CFF_AV_NOPTS_VALUE = AV_NOPTS_VALUE;
static inline int cff_averror(int e) { return AVERROR(e); }
static inline AVRational cff_time_base_q(void) { return AV_TIME_BASE_Q; }
