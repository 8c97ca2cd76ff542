import Stream
