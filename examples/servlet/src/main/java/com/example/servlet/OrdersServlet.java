package com.example.servlet;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /orders?region=eu}: places an order; each request is one timed call, one point. */
@WebServlet("/orders")
public class OrdersServlet extends HttpServlet {

    private final Orders orders = new Orders();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String region = request.getParameter("region");
        String order = orders.place(region == null ? "eu" : region);
        response.setContentType("text/plain");
        response.getWriter().println(order);
    }
}
