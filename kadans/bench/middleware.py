"""Count each request's SQL queries for the benchmark (enabled by KADANS_QUERY_COUNT_HEADER=1 only).

An execute wrapper counts what reaches the database, also with DEBUG off (when Django keeps no query
log), at the cost of one function call per query. X-Kadans-CPU-ms is the CPU time the worker spent on
the request: on a busy machine it tells the work apart from the waiting for a core.
"""

import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        cpu = time.thread_time()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Kadans-Queries"] = str(count)
        response["X-Kadans-CPU-ms"] = f"{(time.thread_time() - cpu) * 1000:.2f}"
        return response
